package dev.ktstr.runtime.runner;

import dev.ktstr.annotations.ExpectedFailure;
import dev.ktstr.annotations.KtstrTest;
import dev.ktstr.annotations.Scheduler;
import dev.ktstr.runtime.Ctx;
import dev.ktstr.runtime.Variant;
import dev.ktstr.runtime.checks.Thresholds;
import dev.ktstr.runtime.sched.SchedulerDefinition;
import dev.ktstr.runtime.sched.SchedulerException;
import dev.ktstr.topology.Preset;
import dev.ktstr.topology.Presets;
import dev.ktstr.topology.Topology;
import java.lang.reflect.Method;
import java.time.Duration;

/**
 * Everything the annotations say about one variant: the topology it runs on, the scheduler and its
 * active flags, the merged scheduler arguments, memory, durations and checks.
 *
 * @param variant          the variant
 * @param test             the {@code @KtstrTest}
 * @param scheduler        the scheduler declaration
 * @param schedulerChecks  the scheduler's threshold layer ({@code @Scheduler(checks)})
 * @param topology         the exact topology (the preset's, or the declared one)
 * @param memoryMb         guest memory in MiB
 * @param duration         scenario duration
 * @param workersPerCgroup default workers per cgroup
 * @param testChecks       the test's threshold layer
 * @param expected         the failure the test expects
 * @param watchdogTimeout  the sched_ext watchdog timeout the guest kernel should apply
 */
public record TestDeclaration(Variant variant, KtstrTest test, SchedulerDefinition scheduler,
        Thresholds schedulerChecks, Topology topology, long memoryMb, Duration duration, int workersPerCgroup,
        Thresholds testChecks, ExpectedFailure expected, Duration watchdogTimeout) {

    /**
     * Reads the annotations of {@code variant}'s method.
     *
     * @throws IllegalArgumentException when they do not describe a runnable test (the processor rejects
     *     such tests at compile time; this guards hand-written calls)
     */
    public static TestDeclaration of(Variant v) {
        Method m = method(v);
        KtstrTest kt = m.getAnnotation(KtstrTest.class);
        if (kt == null) {
            throw new IllegalArgumentException(v.testClass().getName() + "#" + v.method() + " has no @KtstrTest");
        }
        SchedulerDefinition sched;
        try {
            sched = SchedulerDefinition.of(kt.scheduler());
        } catch (SchedulerException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        Scheduler sa = kt.scheduler().getAnnotation(Scheduler.class);
        Topology topology;
        long memory;
        if (v.isGauntlet()) {
            Preset p = Presets.byName(v.preset()).orElseThrow(
                    () -> new IllegalArgumentException("unknown topology preset '" + v.preset() + "'"));
            topology = p.topology();
            memory = p.memoryMb(kt.memoryMb());
        } else {
            try {
                topology = new Topology(pick(kt.numaNodes(), sa.topology().numaNodes()),
                        pick(kt.llcs(), sa.topology().llcs()), pick(kt.cores(), sa.topology().cores()),
                        pick(kt.threads(), sa.topology().threads()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(v.testClass().getName() + "#" + v.method() + ": " + e.getMessage(), e);
            }
            memory = Math.max(Math.max(topology.totalCpus() * 64L, 256L), kt.memoryMb());
        }
        String where = v.testClass().getName() + "#" + v.method() + ": @KtstrTest(";
        if (kt.durationS() < 1) {
            throw new IllegalArgumentException(where + "durationS = " + kt.durationS() + ") must be at least 1");
        }
        if (kt.workersPerCgroup() < 1) {
            throw new IllegalArgumentException(where + "workersPerCgroup = " + kt.workersPerCgroup()
                    + ") must be at least 1");
        }
        if (kt.watchdogTimeoutS() < 1) {
            throw new IllegalArgumentException(where + "watchdogTimeoutS = " + kt.watchdogTimeoutS()
                    + ") must be at least 1");
        }
        return new TestDeclaration(v, kt, sched, Thresholds.of(sa), topology, memory, Duration.ofSeconds(kt.durationS()),
                kt.workersPerCgroup(), Thresholds.of(kt), kt.expectErr(), Duration.ofSeconds(kt.watchdogTimeoutS()));
    }

    private static int pick(int testValue, int schedulerValue) {
        return testValue == KtstrTest.INHERIT ? schedulerValue : testValue;
    }

    /** The {@code @KtstrTest} method, taking one {@link Ctx}, declared on the variant's class. */
    static Method method(Variant v) {
        for (Method m : v.testClass().getDeclaredMethods()) {
            if (m.getName().equals(v.method()) && m.getParameterCount() == 1 && m.getParameterTypes()[0] == Ctx.class) {
                return m;
            }
        }
        throw new IllegalArgumentException(v.testClass().getName() + " has no method " + v.method() + "(Ctx)");
    }

    /** The test's name in results: the method name. */
    public String name() {
        return variant.method();
    }
}

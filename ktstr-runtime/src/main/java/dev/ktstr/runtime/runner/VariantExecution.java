package dev.ktstr.runtime.runner;

import dev.ktstr.kvm.engine.EngineSelector;
import dev.ktstr.kvm.engine.VmExit;
import dev.ktstr.runtime.TestBody;
import dev.ktstr.runtime.checks.FailureKind;
import dev.ktstr.runtime.kernel.ResolvedKernel;
import dev.ktstr.runtime.monitor.Monitor;
import dev.ktstr.runtime.monitor.MonitorAttach;
import dev.ktstr.runtime.monitor.StepWindow;
import dev.ktstr.runtime.result.CgroupStats;
import dev.ktstr.runtime.result.MonitorSummary;
import dev.ktstr.runtime.result.Outcome;
import dev.ktstr.runtime.result.ResultFiles;
import dev.ktstr.runtime.result.RunResult;
import dev.ktstr.runtime.result.StimulusEvent;
import dev.ktstr.runtime.scenario.engine.EngineOptions;
import dev.ktstr.runtime.scenario.engine.ScenarioCtx;
import dev.ktstr.runtime.scenario.engine.ScenarioRun;
import dev.ktstr.runtime.scenario.engine.StepSpan;
import dev.ktstr.runtime.vm.BootException;
import dev.ktstr.runtime.vm.BootFailure;
import dev.ktstr.runtime.vm.GuestLauncher;
import dev.ktstr.runtime.vm.GuestVm;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One repetition of one variant: boot, scheduler, monitor, the test body, checks, teardown, and the
 * result file. Every way it can go wrong ends as named failures in the {@link Result}; only a
 * {@link Throwable} thrown by the test body itself (its own assertions) is handed back for JUnit.
 */
final class VariantExecution {

    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int CONSOLE_TAIL = 40;

    /**
     * What one repetition produced.
     *
     * @param outcome  status and named failures
     * @param report   the human report: failures, stats block, scheduler output, console tail
     * @param result   the result as written
     * @param file     where it was written, or null when writing failed
     * @param thrown   what the test body itself threw, or null
     */
    record Result(Outcome outcome, String report, RunResult result, Path file, Throwable thrown) {}

    private VariantExecution() {}

    static Result run(TestDeclaration d, TestBody body, int repetition, EngineSelector.Choice engine,
            ResolvedKernel kernel, SchedulerControl sched) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        List<Outcome.Failure> failures = new ArrayList<>();
        StringBuilder report = new StringBuilder();
        ScenarioCtx ctx = null;
        MonitorSummary monitorSummary = null;
        Throwable thrown = null;
        boolean schedulerActive = sched == SchedulerControl.KERNEL_DEFAULT;
        String engineId = engine.found() ? engine.engine().id() : "none";

        List<String> includes = new ArrayList<>(List.of(d.test().extraIncludeFiles()));
        includes.addAll(sched.includes());
        Duration boot = GuestLauncher.bootTimeout(engine, d.topology());
        Duration vmLimit = boot.plus(Duration.ofSeconds(Long.getLong("ktstr.vm.timeoutS", 600)));
        var req = new GuestLauncher.Request(d.topology(), d.memoryMb(), kernel, sched.binary(), includes,
                sched.sysctls(), sched.kargs(), boot, vmLimit, Boolean.getBoolean("ktstr.verbose"),
                d.test().performanceMode());
        GuestVm vm;
        try {
            vm = GuestLauncher.launch(req, engine);
        } catch (BootException e) {
            BootFailure f = e.failure();
            failures.add(bootFailure(f));
            report.append(f.describe()).append('\n');
            return finish(d, sched, repetition, engineId, kernel.release(), started, t0, failures, report, null, null,
                    false, null);
        }
        try {
            // Guest-kernel introspection serves the watchdog override and the monitor, both only for
            // sched_ext schedulers (reading symbols costs a /proc/kallsyms transfer on a kernel's first boot).
            GuestIntrospection intro = sched == SchedulerControl.KERNEL_DEFAULT ? null
                    : GuestIntrospection.attach(kernel, vm.vm(), vm.agent());
            Optional<Outcome.Failure> startFailure = sched.start(vm.agent(),
                    Optional.ofNullable(intro).map(i -> timeout -> i.overrideWatchdog(timeout)));
            if (startFailure.isPresent()) {
                failures.add(startFailure.get());
            } else {
                schedulerActive = true;
                Monitor monitor = null;
                if (intro != null) {
                    MonitorAttach ma = intro.monitor(MonitorFailures.config(
                            d.schedulerChecks().merge(d.testChecks())), vm.vm());
                    if (ma instanceof MonitorAttach.Ready r) {
                        monitor = r.monitor();
                        monitor.start();
                    } else if (ma instanceof MonitorAttach.Disabled dis) {
                        report.append(dis.line()).append('\n');
                        MonitorFailures.announce(dis);
                        monitorSummary = MonitorSummary.disabled(dis.reason(), 100);
                    }
                }
                ctx = new ScenarioCtx(d.variant(), d.topology(), d.duration(), d.workersPerCgroup(), null, vm.agent(),
                        EngineOptions.defaults().withWatch(sched.watch())
                                .withChecks(d.schedulerChecks(), d.testChecks())
                                .withProgramLocator(IncludedPrograms.locator(includes)));
                try {
                    body.run(ctx);
                } catch (Throwable t) {
                    thrown = t;
                }
                if (monitor != null) {
                    monitor.stop();
                    long origin = timelineOriginMs(ctx, monitor);
                    monitorSummary = monitor.summary(windows(ctx, origin), origin);
                    failures.addAll(MonitorFailures.of(monitorSummary));
                    monitor.close();
                }
                failures.addAll(ctx.outcome().failures());
                failures.addAll(sched.stop());
                schedulerActive = sched.activeThroughout();
            }
            VmExit early = vm.vm().exit().getNow(null);
            if (early != null && !early.clean()) {
                // The VM died under the test: that, not the agent errors it caused, is the finding.
                failures.removeIf(f -> f.kind().equals(FailureKind.AGENT_FAILED.id()));
                failures.add(vmEnd(early));
            }
            if (!failures.isEmpty() || thrown != null) {
                appendEvidence(report, ctx, sched, vm);
                if (monitorSummary != null && monitorSummary.samples() > 0) {
                    report.append(MonitorFailures.section(monitorSummary));
                }
            }
        } finally {
            vm.close();
        }
        return finish(d, sched, repetition, engineId, kernel.release(), started, t0, failures, report, ctx,
                monitorSummary, schedulerActive, thrown);
    }

    /**
     * A {@code hostOnly} test: the agent as a child process on this host, the host's topology and
     * scheduler, no VM. A host where the agent cannot create cgroups (no cgroup v2 at
     * {@code /sys/fs/cgroup}, no cpuset controller, no write access) skips the test with the agent's
     * reason, as bare-metal {@code ktstr run} refuses to start there.
     */
    static Result runOnHost(TestDeclaration d, TestBody body, int repetition, String kernelRelease) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        List<Outcome.Failure> failures = new ArrayList<>();
        StringBuilder report = new StringBuilder();
        ScenarioCtx ctx = null;
        Throwable thrown = null;
        dev.ktstr.runtime.host.HostTopology ht = dev.ktstr.runtime.host.HostTopology.read();
        if (!ht.note().isEmpty()) {
            report.append("host topology: ").append(ht.note()).append('\n');
        }
        try (dev.ktstr.runtime.host.HostAgent agent = dev.ktstr.runtime.host.HostAgent.start(null)) {
            String cgroups = agent.agent().info().cgroupProblem();
            if (!cgroups.isEmpty()) {
                // Every scenario runs its workers in cgroups: on such a host there is nothing to run.
                List<Outcome.Failure> why = List.of(new Outcome.Failure("HostCannotRun", "the agent cannot create "
                        + "cgroups on this host: " + cgroups));
                return finish(d, SchedulerControl.KERNEL_DEFAULT, repetition, "host", kernelRelease, started, t0,
                        new ArrayList<>(why), report, null, null, true, null, true);
            }
            ctx = new ScenarioCtx(d.variant(), ht.topology(), d.duration(), d.workersPerCgroup(), null, agent.agent(),
                    EngineOptions.defaults().withChecks(d.schedulerChecks(), d.testChecks()));
            try {
                body.run(ctx);
            } catch (Throwable t) {
                thrown = t;
            }
            failures.addAll(ctx.outcome().failures());
        } catch (Exception e) {
            failures.add(FailureKind.AGENT_FAILED.failure("host agent: " + e.getMessage()));
        }
        if (!failures.isEmpty() && ctx != null) {
            for (ScenarioRun r : ctx.runs()) {
                report.append(r.statsBlock()).append('\n');
            }
        }
        return finish(d, SchedulerControl.KERNEL_DEFAULT, repetition, "host", kernelRelease, started, t0, failures,
                report, ctx, null, true, thrown);
    }

    /**
     * Where the timeline's time 0 (the first scenario run that was not skipped: {@link
     * ScenarioCtx#stepSpans()} and {@link ScenarioCtx#timeline()} count from it) is on the monitor's clock.
     */
    private static long timelineOriginMs(ScenarioCtx ctx, Monitor monitor) {
        return ctx.runs().stream().filter(r -> r.status() != Outcome.Status.SKIPPED).findFirst()
                .map(r -> monitor.elapsedMs(r.startNanos())).orElse(0L);
    }

    /** The steps' windows on the monitor's clock, which selects each phase's samples. */
    private static List<StepWindow> windows(ScenarioCtx ctx, long originMs) {
        List<StepWindow> out = new ArrayList<>();
        for (StepSpan s : ctx.stepSpans()) {
            out.add(new StepWindow(s.step(), Math.max(0, s.startMs() + originMs), Math.max(0, s.endMs() + originMs)));
        }
        return out;
    }

    private static Outcome.Failure bootFailure(BootFailure f) {
        return switch (f.kind()) {
            case KERNEL_PANIC, VM_ENDED -> FailureKind.GUEST_CRASH.failure("guest did not boot: " + f.message());
            case GUEST_HANG -> FailureKind.TIMEOUT.failure("guest did not boot: " + f.message());
            default -> new Outcome.Failure("BootFailed", f.kind() + ": " + f.message());
        };
    }

    private static Outcome.Failure vmEnd(VmExit e) {
        if (e instanceof VmExit.TimedOut) {
            return FailureKind.TIMEOUT.failure(e.summary());
        }
        return FailureKind.GUEST_CRASH.failure(e.summary());
    }

    private static void appendEvidence(StringBuilder report, ScenarioCtx ctx, SchedulerControl sched, GuestVm vm) {
        if (ctx != null) {
            for (ScenarioRun r : ctx.runs()) {
                report.append(r.statsBlock()).append('\n');
            }
        }
        String evidence = sched.evidence();
        if (!evidence.isBlank()) {
            report.append(evidence.strip()).append('\n');
        }
        report.append("--- console (last ").append(CONSOLE_TAIL).append(" lines) ---\n")
                .append(vm.vm().console().tailText(CONSOLE_TAIL)).append('\n');
    }

    private static Result finish(TestDeclaration d, SchedulerControl sched, int repetition, String engineId,
            String kernelRelease,
            Instant started, long t0, List<Outcome.Failure> failures, StringBuilder report, ScenarioCtx ctx,
            MonitorSummary monitor, boolean schedulerActive, Throwable thrown) {
        return finish(d, sched, repetition, engineId, kernelRelease, started, t0, failures, report, ctx, monitor,
                schedulerActive, thrown, false);
    }

    /** As above; {@code skip}: the run could not start here, and {@code failures} say why (SKIPPED). */
    private static Result finish(TestDeclaration d, SchedulerControl sched, int repetition, String engineId,
            String kernelRelease,
            Instant started, long t0, List<Outcome.Failure> failures, StringBuilder report, ScenarioCtx ctx,
            MonitorSummary monitor, boolean schedulerActive, Throwable thrown, boolean skip) {
        Outcome.Status status;
        if (skip) {
            status = Outcome.Status.SKIPPED;
        } else if (failures.stream().anyMatch(f -> f.kind().equals("BootFailed") || FailureKind.isHarnessError(f.kind()))) {
            status = Outcome.Status.ERROR;
        } else if (!failures.isEmpty() || thrown != null) {
            status = Outcome.Status.FAILED;
        } else if (ctx != null && ctx.outcome().status() == Outcome.Status.SKIPPED) {
            status = Outcome.Status.SKIPPED;
            failures.addAll(ctx.outcome().failures());
        } else {
            status = Outcome.Status.PASSED;
        }
        if (thrown != null) {
            failures.add(new Outcome.Failure("TestBodyThrew", String.valueOf(thrown)));
        }
        Outcome outcome = new Outcome(status, List.copyOf(failures));
        List<CgroupStats> cgroups = ctx == null ? List.of() : ctx.cgroupStats();
        Map<String, Double> metrics = new LinkedHashMap<>(ctx == null ? Map.of() : ctx.metrics());
        if (monitor != null && monitor.samples() > 0) {
            metrics.put("max_imbalance_ratio", monitor.maxImbalanceRatio());
            metrics.put("max_dsq_depth", (double) monitor.maxLocalDsqDepth());
            metrics.put("stall_count", (double) monitor.stallCount());
            metrics.put("total_fallback", (double) monitor.fallbackTotal());
            metrics.put("total_keep_last", (double) monitor.keepLastTotal());
        }
        List<StimulusEvent> timeline = ctx == null ? List.of() : ctx.timeline();
        RunResult r = new RunResult(RunResult.SCHEMA_VERSION, RUN_ID.format(started) + "-" + RUNS.incrementAndGet(),
                d.name(), d.variant().id(), d.variant().testClass().getName(), d.variant().preset(),
                d.topology().render(), d.scheduler().name(),
                d.scheduler().isKernelDefault() ? null : dev.ktstr.kvm.initramfs.InitramfsLayout.SCHEDULER,
                d.variant().flags(), sched.arguments(), schedulerActive, null, kernelRelease, engineId,
                HostFacts.projectCommit(), repetition, outcome, cgroups, metrics, timeline, monitor, HostFacts.host(),
                started, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        Path file = null;
        try {
            file = ResultFiles.write(ResultFiles.defaultDirectory(kernelRelease, HostFacts.projectCommit()), r);
        } catch (IOException e) {
            report.append("could not write the result file: ").append(e.getMessage()).append('\n');
        }
        return new Result(outcome, report.toString(), r, file, thrown);
    }
}

package dev.ktstr.runtime.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.annotations.ExpectedFailure;
import dev.ktstr.runtime.agent.ExecRequest;
import dev.ktstr.runtime.agent.ExecResult;
import dev.ktstr.runtime.measure.WorkerReport;
import dev.ktstr.runtime.vm.GuestVm;
import dev.ktstr.topology.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * ktstr_fixture's failure modes in one real two-CPU guest, each producing its named result: a stall
 * ejected by the kernel's watchdog within the watchdog timeout + 5 s, an scx_bpf_exit() exit with
 * its code, an scx_bpf_error() ejection, a verifier rejection with a cycle-collapsed log, the .bss
 * {@code stall} flag (flipped through the loader's SIGUSR1, as the host flips it in guest memory),
 * and an unfair mode whose off-CPU spread fails the fairness limit. The scheduler is restarted in the
 * same guest after each failure, which also shows that a failed scheduler leaves sched_ext clean.
 */
@Tag("vm")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.MethodName.class)
class FixtureFailuresVmIT {

    private static final String FIXTURE = "ktstr_fixture";
    private static final Duration WATCHDOG = Duration.ofSeconds(2);
    /** The fairness check's default limit (ktstr facts §8: 15 % release). */
    private static final double UNFAIR_LIMIT_PCT = 15;

    private GuestVm vm;

    @BeforeAll
    void boot() throws Exception {
        GuestFixture fx = GuestFixture.require();
        vm = fx.boot(Topology.parse("1,1,2,1"), List.of(fx.binary(FIXTURE)));
        System.out.printf("booted in %d ms on %s%n", vm.bootMs(), vm.engineId());
    }

    @AfterAll
    void shutdown() {
        if (vm != null) {
            vm.close();
        }
    }

    private SchedulerSession start(String... args) throws Exception {
        SchedulerSession s = SchedulerSession.start(vm.agent(), GuestFixture.launch(FIXTURE, List.of(args),
                Optional.of(WATCHDOG)), Optional.empty());
        assertTrue(s.attached(), () -> s.attachFailure().map(f -> f.summary() + "\n" + f.evidence()).orElse(""));
        return s;
    }

    @Test
    void a_stallIsEjectedByTheWatchdogWithinTimeoutPlusFiveSeconds() throws Exception {
        double stallAfter = 1;
        SchedulerSession s = start("--stall-after", "1");
        long t0 = System.nanoTime();
        Optional<SchedulerFailure> f = s.awaitFailure(Duration.ofSeconds(30));
        double secs = (System.nanoTime() - t0) / 1e9;
        SchedulerSession.Report r = s.stop();
        System.out.printf(Locale.ROOT, "stall: %s after %.1f s (stall at %.0f s, watchdog %d s)%n%s%n",
                f.map(SchedulerFailure::summary).orElse("nothing"), secs, stallAfter, WATCHDOG.toSeconds(),
                r.notes());
        SchedulerFailure.Ejected e = assertInstanceOf(SchedulerFailure.Ejected.class, f.orElseThrow());
        assertEquals("runnable task stall", e.exit().reason());
        assertTrue(e.summary().startsWith("ejected by the kernel: runnable task stall: "), e.summary());
        assertTrue(e.exit().message().contains("failed to run for"), e.exit().message());
        assertEquals(ExpectedFailure.SCHEDULER_EJECTED, e.expected());
        assertEquals("SchedulerEjected", e.toOutcome().kind());
        assertTrue(secs <= stallAfter + WATCHDOG.toSeconds() + 5, "ejected after " + secs + " s");
        SchedulerFailure.Ejected reported = assertInstanceOf(SchedulerFailure.Ejected.class, r.failure().orElseThrow());
        assertTrue(reported.dump().contains("runnable task stall") || reported.dump().contains("Event counters"),
                "debug dump: " + reported.dump());
        assertTrue(r.detached());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("watchdog timeout 2000 ms through the scheduler's "
                + "ops.timeout_ms option")), r.notes().toString());
    }

    @Test
    void b_exitAfterIsAnExitWithItsCode() throws Exception {
        SchedulerSession s = start("--exit-after", "1", "--exit-code", "7");
        Optional<SchedulerFailure> f = s.awaitFailure(Duration.ofSeconds(20));
        SchedulerSession.Report r = s.stop();
        System.out.println("exit: " + f.map(SchedulerFailure::summary).orElse("nothing"));
        SchedulerFailure.Exited x = assertInstanceOf(SchedulerFailure.Exited.class, f.orElseThrow());
        assertEquals(7, x.exitCode());
        assertEquals("unregistered from BPF", x.exit().orElseThrow().reason());
        assertTrue(x.exit().orElseThrow().message().contains("--exit-after"), x.exit().toString());
        assertEquals(ExpectedFailure.SCHEDULER_EXITED, x.expected());
        assertEquals("exited (exit code 7): unregistered from BPF: ktstr_fixture: exiting after 1000 ms as asked "
                + "(--exit-after)", x.summary());
        assertTrue(r.detached());
    }

    @Test
    void c_errorAfterIsAnEjection() throws Exception {
        SchedulerSession s = start("--error-after", "1");
        Optional<SchedulerFailure> f = s.awaitFailure(Duration.ofSeconds(20));
        s.stop();
        System.out.println("error: " + f.map(SchedulerFailure::summary).orElse("nothing"));
        SchedulerFailure.Ejected e = assertInstanceOf(SchedulerFailure.Ejected.class, f.orElseThrow());
        assertEquals("scx_bpf_error", e.exit().reason());
        assertTrue(e.exit().message().contains("--error-after"), e.exit().message());
    }

    @Test
    void d_failVerifyIsAnAttachFailureWithACollapsedVerifierLog() throws Exception {
        SchedulerSession s = SchedulerSession.start(vm.agent(), GuestFixture.launch(FIXTURE, List.of("--fail-verify"),
                Optional.empty()), Optional.empty());
        assertFalse(s.attached());
        SchedulerFailure.AttachFailed a = assertInstanceOf(SchedulerFailure.AttachFailed.class,
                s.attachFailure().orElseThrow());
        System.out.println(a.summary() + "\n" + a.evidence());
        assertTrue(a.summary().startsWith("failed to attach: exited with code 1 before attaching: libbpf: prog "
                + "'fixture_fail_verify'"), a.summary());
        assertTrue(a.verifierLog().contains("invalid mem access"), a.verifierLog());
        assertTrue(a.verifierLog().contains("identical iterations omitted"), a.verifierLog());
        assertEquals(ExpectedFailure.SCHEDULER_ATTACH_FAILED, a.expected());
        assertEquals("disabled", vm.agent().schedulerStatus().state());
    }

    @Test
    void e_theBssStallFlagStopsDispatching() throws Exception {
        SchedulerSession s = start();
        int pid = vm.agent().schedulerStatus().pid();
        ExecResult kill = vm.agent().exec(ExecRequest.shell("kill -USR1 " + pid, Duration.ofSeconds(10)));
        assertTrue(kill.succeeded(), kill.stderrText());
        Optional<SchedulerFailure> f = s.awaitFailure(Duration.ofSeconds(WATCHDOG.toSeconds() + 10));
        SchedulerSession.Report r = s.stop();
        System.out.println("bss stall: " + f.map(SchedulerFailure::summary).orElse("nothing"));
        assertEquals("runnable task stall",
                assertInstanceOf(SchedulerFailure.Ejected.class, f.orElseThrow()).exit().reason());
        assertTrue(r.output().contains("stall requested by SIGUSR1"), r.output());
    }

    @Test
    void f_unfairModeFailsTheFairnessLimitWhileTheDefaultPasses() throws Exception {
        double fair = spreadUnder();
        double unfair = spreadUnder("--unfair");
        System.out.printf(Locale.ROOT, "off-CPU spread of 4 spinners on 2 CPUs: fair %.1f%%, --unfair %.1f%%%n", fair,
                unfair);
        assertTrue(unfair > UNFAIR_LIMIT_PCT, "unfair spread " + unfair);
        assertTrue(unfair > fair, "unfair " + unfair + " vs fair " + fair);
    }

    private double spreadUnder(String... args) throws Exception {
        SchedulerSession s = start(args);
        List<WorkerReport> w = GuestFixture.load(vm.agent(), GuestFixture.KW_CPU_SPIN, 4, Duration.ofSeconds(3));
        SchedulerSession.Report r = s.stop();
        assertTrue(r.failure().isEmpty(), () -> r.failure().get().summary());
        assertEquals(4, w.size());
        return GuestFixture.offCpuSpreadPct(w);
    }
}

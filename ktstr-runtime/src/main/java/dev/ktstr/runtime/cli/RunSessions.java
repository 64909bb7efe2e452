package dev.ktstr.runtime.cli;

import dev.ktstr.kvm.engine.EngineSelector;
import dev.ktstr.runtime.agent.AgentException;
import dev.ktstr.runtime.agent.GuestAgent;
import dev.ktstr.runtime.checks.FailureKind;
import dev.ktstr.runtime.cli.scenario.GuestSession;
import dev.ktstr.runtime.cli.scenario.GuestSessionFactory;
import dev.ktstr.runtime.cli.scenario.RunPlan;
import dev.ktstr.runtime.host.HostAgent;
import dev.ktstr.runtime.host.HostTopology;
import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.KernelProvisioner;
import dev.ktstr.runtime.kernel.ResolvedKernel;
import dev.ktstr.runtime.kernel.TerminalProgress;
import dev.ktstr.runtime.scenario.engine.SchedulerWatch;
import dev.ktstr.runtime.sched.BuildableScheduler;
import dev.ktstr.runtime.sched.SchedulerCatalog;
import dev.ktstr.runtime.sched.SchedulerException;
import dev.ktstr.runtime.sched.SchedulerFailure;
import dev.ktstr.runtime.sched.SchedulerSession;
import dev.ktstr.runtime.sched.SchedulerSetup;
import dev.ktstr.runtime.vm.BootException;
import dev.ktstr.runtime.vm.GuestLauncher;
import dev.ktstr.runtime.vm.GuestVm;
import dev.ktstr.topology.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where {@code ktstr run} runs scenarios: a VM booted for the plan, or the agent on this host. A VM
 * with {@code --scheduler} gets the binary found before boot (shipped as {@code /scheduler}), the
 * scheduler started through a {@link SchedulerSession} once it is up, watched at every step
 * boundary (its failure is the failure of the scenario it happened in, with the session's
 * one-line summary) and stopped before the VM powers off.
 */
public final class RunSessions implements GuestSessionFactory {

    /**
     * A session could not be opened for a reason the user can act on (no engine, no kernel, a
     * scheduler discovery cannot find, a VM that did not boot); the message is the whole story.
     */
    public static final class SessionUnavailable extends Exception {
        private static final long serialVersionUID = 1L;

        SessionUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Override
    public GuestSession open(RunPlan.Target target) throws Exception {
        if (target instanceof RunPlan.Target.Vm vm) {
            return openVm(vm);
        }
        return openHost();
    }

    private static GuestSession openVm(RunPlan.Target.Vm target) throws Exception {
        ResolvedKernel kernel;
        try {
            kernel = KernelProvisioner.ensureDefault(TerminalProgress.stderr());
        } catch (KernelException e) {
            throw new SessionUnavailable("no kernel: " + e.getMessage(), e);
        }
        EngineSelector.Choice engine = EngineSelector.fromServiceLoader().choose();
        if (!engine.found()) {
            throw new SessionUnavailable("no VM engine: " + engine.reason(), null);
        }
        // Discovery before boot: a missing binary fails the run naming every place searched.
        Optional<SchedulerSetup> setup = Optional.empty();
        if (target.scheduler().isPresent()) {
            RunPlan.Scheduler s = target.scheduler().get();
            try {
                setup = Optional.of(SchedulerSetup.forBinary(s.binary(), "", s.args(), watchdogFor(s), kernel,
                        SchedulerCatalog.system(), TerminalProgress.stderr()));
            } catch (SchedulerException e) {
                throw new SessionUnavailable(e.getMessage(), e);
            }
        }
        Topology t = target.topology();
        GuestVm vm;
        try {
            vm = GuestLauncher.launch(new GuestLauncher.Request(t, 0, kernel, setup.map(SchedulerSetup::binary),
                    setup.map(SchedulerSetup::includes).orElse(List.of()),
                    setup.map(SchedulerSetup::sysctls).orElse(Map.of()),
                    setup.map(SchedulerSetup::kargs).orElse(List.of()), GuestLauncher.bootTimeout(engine, t),
                    Duration.ofHours(6), false, false), engine);
        } catch (BootException e) {
            throw new SessionUnavailable("the VM did not boot: " + e.failure().describe(), e);
        }
        SchedulerSession session = null;
        if (setup.isPresent()) {
            try {
                // The host-side watchdog override needs guest-kernel introspection, which only the test
                // runner wires in: schedulers without a timeout option keep the kernel's timeout.
                session = SchedulerSession.start(vm.agent(), setup.get().launch(), Optional.empty());
            } catch (AgentException e) {
                vm.close();
                throw new SessionUnavailable("starting the scheduler: " + e.getMessage(), e);
            }
        }
        String desc = "VM " + target.label() + " (" + t.render() + ", " + engine.engine().id() + ", kernel "
                + kernel.release() + target.scheduler().map(s -> ", scheduler " + s.describe()).orElse("") + ")";
        SchedulerSession sched = session;
        SchedulerWatch watch = sched == null ? SchedulerWatch.NONE : () -> {
            try {
                return sched.check().map(SchedulerFailure::toOutcome);
            } catch (AgentException e) {
                return Optional.of(FailureKind.AGENT_FAILED.failure("checking the scheduler: " + e.getMessage()));
            }
        };
        return new GuestSession() {
            @Override
            public GuestAgent agent() {
                return vm.agent();
            }

            @Override
            public Topology topology() {
                return t;
            }

            @Override
            public SchedulerWatch watch() {
                return watch;
            }

            @Override
            public String describe() {
                return desc;
            }

            @Override
            public void close() {
                try {
                    if (sched != null) {
                        sched.stop();
                    }
                } catch (AgentException e) {
                    // The VM is going away: the scheduler goes with it.
                    System.err.println("ktstr: stopping the scheduler: " + e.getMessage());
                } finally {
                    vm.close();
                }
            }
        };
    }

    /** The watchdog timeout, for a scheduler that takes it as an option (ktstr_fixture). */
    private static Optional<Duration> watchdogFor(RunPlan.Scheduler s) {
        String base = s.binary().substring(s.binary().lastIndexOf('/') + 1);
        boolean option = BuildableScheduler.byBinary(base).map(b -> !b.watchdogArgs(s.watchdog()).isEmpty())
                .orElse(false);
        return option ? Optional.of(s.watchdog()) : Optional.empty();
    }

    private static GuestSession openHost() throws Exception {
        HostTopology ht = HostTopology.read();
        HostAgent agent = HostAgent.start(null);
        String problem = agent.agent().info().cgroupProblem();
        String desc = "this host (" + ht.topology().render() + (ht.note().isEmpty() ? "" : "; " + ht.note())
                + ", running " + activeScheduler() + ")";
        return new GuestSession() {
            @Override
            public GuestAgent agent() {
                return agent.agent();
            }

            @Override
            public Topology topology() {
                return ht.topology();
            }

            @Override
            public String describe() {
                return desc;
            }

            @Override
            public Optional<String> cpusetLimitation() {
                return problem.isEmpty() ? Optional.empty() : Optional.of(problem);
            }

            @Override
            public void close() {
                agent.close();
            }
        };
    }

    /** The host's sched_ext scheduler, or the kernel's own. */
    private static String activeScheduler() {
        try {
            String state = java.nio.file.Files.readString(java.nio.file.Path.of("/sys/kernel/sched_ext/state")).trim();
            if (state.equals("enabled")) {
                return "sched_ext " + java.nio.file.Files.readString(
                        java.nio.file.Path.of("/sys/kernel/sched_ext/root/ops")).trim();
            }
        } catch (java.io.IOException e) {
            // no sched_ext on this host
        }
        return "the kernel's default scheduler";
    }
}

package dev.ktstr.runtime.cli;

import dev.ktstr.kvm.engine.EngineSelector;
import dev.ktstr.runtime.agent.GuestAgent;
import dev.ktstr.runtime.cli.scenario.GuestSession;
import dev.ktstr.runtime.cli.scenario.GuestSessionFactory;
import dev.ktstr.runtime.cli.scenario.RunPlan;
import dev.ktstr.runtime.host.HostAgent;
import dev.ktstr.runtime.host.HostTopology;
import dev.ktstr.runtime.kernel.KernelProvisioner;
import dev.ktstr.runtime.kernel.ResolvedKernel;
import dev.ktstr.runtime.kernel.TerminalProgress;
import dev.ktstr.runtime.vm.BootException;
import dev.ktstr.runtime.vm.GuestLauncher;
import dev.ktstr.runtime.vm.GuestVm;
import dev.ktstr.topology.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where {@code ktstr run} runs scenarios: a VM booted for the plan, or the agent on this host. */
public final class RunSessions implements GuestSessionFactory {

    @Override
    public GuestSession open(RunPlan.Target target) throws Exception {
        if (target instanceof RunPlan.Target.Vm vm) {
            return openVm(vm);
        }
        return openHost();
    }

    private static GuestSession openVm(RunPlan.Target.Vm target) throws Exception {
        ResolvedKernel kernel = KernelProvisioner.ensureDefault(TerminalProgress.stderr());
        EngineSelector.Choice engine = EngineSelector.fromServiceLoader().choose();
        if (!engine.found()) {
            throw new IllegalStateException("no VM engine: " + engine.reason());
        }
        Topology t = target.topology();
        GuestVm vm;
        try {
            vm = GuestLauncher.launch(new GuestLauncher.Request(t, 0, kernel, Optional.empty(), List.of(), Map.of(),
                    List.of(), GuestLauncher.bootTimeout(engine, t), Duration.ofHours(6), false, false), engine);
        } catch (BootException e) {
            throw new IllegalStateException("the VM did not boot: " + e.failure().describe(), e);
        }
        String desc = "VM " + target.label() + " (" + t.render() + ", " + engine.engine().id() + ", kernel "
                + kernel.release() + ")";
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
            public String describe() {
                return desc;
            }

            @Override
            public void close() {
                vm.close();
            }
        };
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

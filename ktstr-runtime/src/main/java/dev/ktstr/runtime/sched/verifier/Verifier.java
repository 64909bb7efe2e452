package dev.ktstr.runtime.sched.verifier;

import dev.ktstr.kvm.engine.EngineSelector;
import dev.ktstr.runtime.agent.AgentException;
import dev.ktstr.runtime.agent.ExecRequest;
import dev.ktstr.runtime.agent.ExecResult;
import dev.ktstr.runtime.agent.GuestAgent;
import dev.ktstr.runtime.kernel.ResolvedKernel;
import dev.ktstr.runtime.sched.SchedulerException;
import dev.ktstr.runtime.sched.SchedulerFailure;
import dev.ktstr.runtime.sched.SchedulerLaunch;
import dev.ktstr.runtime.sched.SchedulerSession;
import dev.ktstr.runtime.vm.BootException;
import dev.ktstr.runtime.vm.GuestLauncher;
import dev.ktstr.runtime.vm.GuestVm;
import dev.ktstr.topology.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Verifier statistics of a scheduler (ktstr facts §12, "Verifier"): boots one single-CPU guest with
 * the scheduler and {@code ktstr_progs}, loads the scheduler once per flag profile through the
 * normal {@link SchedulerSession} (so the programs pass the real kernel's verifier and struct_ops
 * registration), reads every new program's {@code verified_insns} while it is attached, and stops it.
 * A profile that does not load reports its {@link SchedulerFailure.AttachFailed} with the
 * cycle-collapsed verifier log.
 */
public final class Verifier {

    /** Where ktstr_progs lands in the guest (shipped as an include file). */
    static final String GUEST_PROGS = "/include-files/ktstr_progs";
    static final Duration EXEC_TIMEOUT = Duration.ofSeconds(30);

    /**
     * One profile to load.
     *
     * @param name its display name
     * @param args the scheduler's full command line for it
     */
    public record Profile(String name, List<String> args) {
        public Profile {
            args = List.copyOf(args);
        }
    }

    private Verifier() {}

    /** {@link #run(ResolvedKernel, EngineSelector.Choice, SchedulerLaunch, Path, List, int)} on one CPU. */
    public static VerifierReport run(ResolvedKernel kernel, EngineSelector.Choice engine, SchedulerLaunch base,
            Path progs, List<Profile> profiles) throws BootException, AgentException, SchedulerException {
        return run(kernel, engine, base, progs, profiles, 1);
    }

    /**
     * Boots a guest of {@code kernel} with {@code cpus} CPUs (one LLC; one unless the scheduler needs
     * more) on {@code engine} and runs {@link #measure} in it.
     *
     * @param base     the launch of the scheduler (its binary is shipped to {@code /scheduler}); each
     *                 profile's arguments replace its arguments
     * @param progs    the host's ktstr_progs binary
     */
    public static VerifierReport run(ResolvedKernel kernel, EngineSelector.Choice engine, SchedulerLaunch base,
            Path progs, List<Profile> profiles, int cpus) throws BootException, AgentException, SchedulerException {
        return run(kernel, engine, base, progs, profiles, Topology.of(1, Math.max(1, cpus), 1));
    }

    /**
     * Boots a guest of {@code topology} (a scheduler that reads the topology at load time, such as
     * ktstr_fixture's LLC map, is verified against that shape) and runs {@link #measure} in it.
     */
    public static VerifierReport run(ResolvedKernel kernel, EngineSelector.Choice engine, SchedulerLaunch base,
            Path progs, List<Profile> profiles, Topology topology)
            throws BootException, AgentException, SchedulerException {
        var req = new GuestLauncher.Request(topology, 0, kernel, Optional.of(base.hostBinary()),
                List.of(progs.toString()), Map.of(), List.of(), GuestLauncher.bootTimeout(engine, topology),
                Duration.ofMinutes(30), false, false);
        try (GuestVm vm = GuestLauncher.launch(req, engine)) {
            List<VerifierReport.ProfileResult> results = measure(vm.agent(), base, profiles);
            return new VerifierReport(base.opsName(), base.hostBinary().toString(), kernel.describe(), vm.engineId(),
                    topology.totalCpus(), results);
        }
    }

    /** Loads {@code base} with each profile's arguments in the running guest and measures it. */
    public static List<VerifierReport.ProfileResult> measure(GuestAgent agent, SchedulerLaunch base,
            List<Profile> profiles) throws AgentException, SchedulerException {
        List<VerifierReport.ProfileResult> out = new ArrayList<>();
        for (Profile p : profiles) {
            Set<Long> before = new HashSet<>();
            programs(agent).forEach(prog -> before.add(prog.id()));
            SchedulerSession s = SchedulerSession.start(agent, base.withArgs(p.args()), Optional.empty());
            if (!s.attached()) {
                out.add(VerifierReport.ProfileResult.failed(p.name(), p.args(), s.attachFailure().orElseThrow()));
                continue;
            }
            List<BpfProgram> mine = programs(agent).stream().filter(prog -> !before.contains(prog.id())).toList();
            SchedulerSession.Report r = s.stop();
            if (r.failure().isPresent()) {
                out.add(VerifierReport.ProfileResult.failed(p.name(), p.args(), r.failure().get()));
                continue;
            }
            out.add(new VerifierReport.ProfileResult(p.name(), p.args(), true, r.attachMs(), mine, "", ""));
        }
        return out;
    }

    private static List<BpfProgram> programs(GuestAgent agent) throws AgentException, SchedulerException {
        ExecResult r = agent.exec(ExecRequest.of(EXEC_TIMEOUT, GUEST_PROGS));
        if (!r.succeeded()) {
            throw new SchedulerException(SchedulerException.Kind.GUEST_TOOL, "ktstr_progs failed in the guest (exit "
                    + r.exitCode() + ", signal " + r.termSignal() + "): " + r.stderrText().strip());
        }
        try {
            return BpfProgram.parse(r.stdoutText());
        } catch (IllegalArgumentException e) {
            throw new SchedulerException(SchedulerException.Kind.GUEST_TOOL, e.getMessage(), e);
        }
    }
}

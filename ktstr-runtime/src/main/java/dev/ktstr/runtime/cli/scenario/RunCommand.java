package dev.ktstr.runtime.cli.scenario;

import dev.ktstr.runtime.scenario.DidYouMean;
import dev.ktstr.runtime.scenario.InvalidScenarioException;
import dev.ktstr.runtime.scenario.ScenarioEnv;
import dev.ktstr.runtime.scenario.WorkType;
import dev.ktstr.runtime.scenario.canned.Catalog;
import dev.ktstr.runtime.scenario.canned.CatalogEntry;
import dev.ktstr.runtime.sched.SchedulerException;
import dev.ktstr.runtime.sched.SchedulerSetup;
import dev.ktstr.topology.Preset;
import dev.ktstr.topology.Presets;
import dev.ktstr.topology.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ktstr run}: catalog scenarios under whatever scheduler runs — on the host (bare metal: the
 * agent as a child process, cgroups under {@code /sys/fs/cgroup/ktstr-<pid>}) or in a VM of a
 * topology ({@code --vm}), under the kernel's scheduler or a sched_ext scheduler loaded into the VM
 * ({@code --scheduler BIN}, with {@code --flags} as its flags or arguments). Parses and validates
 * everything first (unknown names, work types, flags, presets, the scheduler's flags; every selected
 * scenario against the VM's topology; for bare metal, the host's cgroup v2 via
 * {@link BareMetalPreflight}), so bad input never boots a VM, then hands the {@link RunPlan} to a
 * {@link RunExecutor}.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run catalog scenarios (see 'ktstr list') on this host or in a VM, check them, print results.")
public final class RunCommand implements Callable<Integer> {

    /** The topology of {@code --vm} without {@code --topology}: the test default (1 node, 1 LLC, 2 cores). */
    static final Topology DEFAULT_VM_TOPOLOGY = new Topology(1, 1, 2, 1);

    @Spec
    CommandSpec spec;

    /** Which scenarios: named ones, or all. */
    static final class Selection {
        @Option(names = "--scenario", paramLabel = "NAME", split = ",", description = "Scenario(s) to run (repeatable).")
        List<String> names;

        @Option(names = "--all", description = "Run every catalog scenario.")
        boolean all;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Selection selection;

    @Option(names = "--filter", paramLabel = "SUBSTR", description = "Only scenarios whose name contains SUBSTR.")
    String filter;

    @Option(names = "--vm", description = "Run in a VM instead of on this host.")
    boolean vm;

    @Option(names = "--topology", paramLabel = "PRESET",
            description = "VM topology: a preset (e.g. smt-2llc) or 2n4l2c2t / 2,4,2,2 (needs --vm; default 1n1l2c1t).")
    String topology;

    @Option(names = "--duration", paramLabel = "S", defaultValue = "20", description = "Scenario duration in seconds (default ${DEFAULT-VALUE}).")
    double durationS;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "4", description = "Default workers per cgroup (default ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--work-type", paramLabel = "T",
            description = "Replace CpuSpin (and swappable) work with this type, e.g. PipeIo, Bursty, FutexFanOut.")
    String workType;

    @Option(names = "--flags", paramLabel = "F", split = ",",
            description = "Built-in flags of the running scheduler (llc, borrow, steal, rebal, reject-pin, no-ctrl): "
                    + "runs only scenarios meant for them. With --scheduler they are also its arguments: flag names "
                    + "for a scheduler ktstr knows flags of (ktstr_fixture's built-in flags), else literal "
                    + "arguments (--flags=-f).")
    List<String> flags = new ArrayList<>();

    @Option(names = "--scheduler", paramLabel = "BIN",
            description = "Load this sched_ext scheduler in the VM (needs --vm): a path, or a name found in "
                    + "KTSTR_SCHEDULER_DIR or built into the scheduler cache (scx_simple, ktstr_fixture, ...). "
                    + "Its failure (attach, exit, ejection) is the failure of the scenario it happened in.")
    String scheduler;

    @Option(names = "--sched-arg", paramLabel = "ARG",
            description = "An extra argument for --scheduler, passed verbatim before the flags' arguments "
                    + "(repeatable; --sched-arg=--stall-after --sched-arg=1).")
    List<String> schedArgs = new ArrayList<>();

    @Option(names = "--watchdog-timeout", paramLabel = "S", defaultValue = "4",
            description = "sched_ext watchdog timeout for a scheduler that takes it as an option (ktstr_fixture; "
                    + "others keep the kernel's 30 s), in seconds (default ${DEFAULT-VALUE}).")
    int watchdogTimeoutS;

    @Option(names = "--json", description = "Print a JSON array of results.")
    boolean json;

    @Option(names = "--out", paramLabel = "DIR", description = "Write one result file per run into DIR.")
    Path out;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1", description = "Run each scenario N times (default ${DEFAULT-VALUE}).")
    int repeat;

    private final RunExecutor executor;
    private final Supplier<BareMetalPreflight> preflight;

    /** With the executor the class path provides ({@link ServiceLoader}), if any. */
    public RunCommand() {
        this(null);
    }

    /** With this executor ({@code null}: look one up when running), checking this host's cgroups for bare metal. */
    public RunCommand(RunExecutor executor) {
        this(executor, BareMetalPreflight::check);
    }

    /** With this executor and a bare-metal preflight (tests substitute one). */
    public RunCommand(RunExecutor executor, Supplier<BareMetalPreflight> preflight) {
        this.executor = executor;
        this.preflight = Objects.requireNonNull(preflight, "preflight");
    }

    @Override
    public Integer call() throws Exception {
        RunPlan plan = plan();
        RunExecutor ex = executor != null ? executor
                : ServiceLoader.load(RunExecutor.class).findFirst().orElseThrow(() -> new ParameterException(
                        spec.commandLine(), "no scenario executor is installed: 'ktstr run' needs the VM/bare-metal "
                                + "runner on the class path"));
        return ex.execute(plan, spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** Parses and validates the options into a plan; every problem is a {@link ParameterException}. */
    RunPlan plan() {
        if (!(durationS > 0) || Double.isInfinite(durationS)) {
            throw usage("--duration must be a positive number of seconds, got " + durationS);
        }
        if (workers < 1) {
            throw usage("--workers must be at least 1, got " + workers);
        }
        if (repeat < 1) {
            throw usage("--repeat must be at least 1, got " + repeat);
        }
        if (topology != null && !vm) {
            throw usage("--topology needs --vm (bare metal runs on the host's own topology)");
        }
        WorkType type = null;
        if (workType != null) {
            try {
                type = WorkType.parse(workType);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
        }
        if (scheduler == null && !schedArgs.isEmpty()) {
            throw usage("--sched-arg needs --scheduler");
        }
        if (scheduler != null && !vm) {
            throw usage("--scheduler needs --vm (ktstr loads schedulers only into its own VMs)");
        }
        if (watchdogTimeoutS < 1) {
            throw usage("--watchdog-timeout must be at least 1 s, got " + watchdogTimeoutS);
        }
        Optional<RunPlan.Scheduler> sched = Optional.empty();
        List<String> selecting = flags.stream().map(String::trim).filter(f -> !f.isEmpty()).toList();
        if (scheduler != null) {
            if (scheduler.isBlank()) {
                throw usage("--scheduler needs a binary");
            }
            SchedulerSetup.BinaryFlags bf;
            try {
                bf = SchedulerSetup.binaryFlags(scheduler.trim(), selecting, schedArgs);
            } catch (SchedulerException e) {
                throw usage(e.getMessage());
            }
            sched = Optional.of(new RunPlan.Scheduler(scheduler.trim(), bf.names(), bf.args(),
                    Duration.ofSeconds(watchdogTimeoutS)));
            // Literal arguments of a plain binary say nothing about the catalog's built-in flags.
            selecting = bf.named() ? bf.names() : List.of();
        }
        Set<String> active = new LinkedHashSet<>();
        for (String f : selecting) {
            String flag = f.trim();
            if (!Catalog.FLAGS.contains(flag)) {
                throw usage("unknown flag '" + flag + "'" + DidYouMean.hint(flag, Catalog.FLAGS) + "; built-in flags: "
                        + String.join(", ", Catalog.FLAGS));
            }
            active.add(flag);
        }
        if (active.contains(Catalog.STEAL) && !active.contains(Catalog.LLC)) {
            throw usage("flag 'steal' requires 'llc'");
        }

        List<CatalogEntry> entries = new ArrayList<>();
        if (selection.all) {
            entries.addAll(Catalog.all());
        } else {
            for (String n : selection.names) {
                try {
                    CatalogEntry e = Catalog.get(n.trim());
                    if (!entries.contains(e)) {
                        entries.add(e);
                    }
                } catch (IllegalArgumentException e) {
                    throw usage(e.getMessage());
                }
            }
        }
        if (filter != null) {
            entries.removeIf(e -> !e.name().contains(filter));
        }
        if (selection.all || !active.isEmpty()) {
            entries.removeIf(e -> !e.runsWith(active));
        }
        if (entries.isEmpty()) {
            throw usage("no scenario matches the selection (" + describeSelection(active) + ")");
        }

        RunPlan.Target target = vm ? vmTarget(sched) : bareMetalTarget();
        RunPlan plan = new RunPlan(entries, target, Duration.ofMillis(Math.round(durationS * 1000)), workers, type,
                List.copyOf(active), json, out, repeat);
        if (target instanceof RunPlan.Target.Vm v) {
            validate(plan, v.topology());
        }
        return plan;
    }

    private RunPlan.Target vmTarget(Optional<RunPlan.Scheduler> sched) {
        if (topology == null) {
            return new RunPlan.Target.Vm(DEFAULT_VM_TOPOLOGY.render(), DEFAULT_VM_TOPOLOGY, sched);
        }
        Optional<Preset> preset = Presets.byName(topology.trim());
        if (preset.isPresent()) {
            return new RunPlan.Target.Vm(preset.get().name(), preset.get().topology(), sched);
        }
        try {
            Topology t = Topology.parse(topology);
            return new RunPlan.Target.Vm(t.render(), t, sched);
        } catch (IllegalArgumentException e) {
            List<String> names = Presets.X86_64.stream().map(Preset::name).toList();
            throw usage("unknown topology '" + topology + "'" + DidYouMean.hint(topology, names)
                    + ": give a preset (" + String.join(", ", names) + ") or e.g. 2n4l2c2t");
        }
    }

    /** Bare metal needs cgroup v2 it may write; a missing cpuset controller is only a note (those scenarios skip). */
    private RunPlan.Target bareMetalTarget() {
        BareMetalPreflight p = preflight.get();
        if (!p.fatalProblems().isEmpty()) {
            throw usage(String.join("\n", p.fatalProblems()));
        }
        p.cpusetLimitation().ifPresent(l -> spec.commandLine().getErr()
                .println("note: scenarios that write cpusets will be skipped on this host: " + l));
        return new RunPlan.Target.BareMetal();
    }

    /** Every selected scenario must be valid on the VM's topology (ones it cannot host are skipped later). */
    private void validate(RunPlan plan, Topology t) {
        ScenarioEnv env = plan.env(t);
        List<String> problems = new ArrayList<>();
        for (CatalogEntry e : plan.entries()) {
            try {
                e.scenario().validate(env);
            } catch (InvalidScenarioException x) {
                problems.add(x.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw usage(String.join("\n", problems));
        }
    }

    private String describeSelection(Set<String> active) {
        List<String> parts = new ArrayList<>();
        parts.add(selection.all ? "--all" : "--scenario " + String.join(",", selection.names));
        if (filter != null) {
            parts.add("--filter " + filter);
        }
        parts.add(active.isEmpty() ? "no flags" : "flags " + String.join(",", active));
        return String.join(", ", parts);
    }

    private ParameterException usage(String message) {
        return new ParameterException(Objects.requireNonNull(spec, "spec").commandLine(), message);
    }
}

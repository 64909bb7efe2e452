package dev.ktstr.runtime.cli.sched;

import dev.ktstr.kvm.engine.EngineSelector;
import dev.ktstr.runtime.agent.AgentException;
import dev.ktstr.runtime.cli.TopologyOption;
import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.KernelProvisioner;
import dev.ktstr.runtime.kernel.ProgressSink;
import dev.ktstr.runtime.kernel.ResolvedKernel;
import dev.ktstr.runtime.kernel.TerminalProgress;
import dev.ktstr.runtime.sched.BuildableScheduler;
import dev.ktstr.runtime.sched.SchedulerCatalog;
import dev.ktstr.runtime.sched.SchedulerDefinition;
import dev.ktstr.runtime.sched.SchedulerException;
import dev.ktstr.runtime.sched.SchedulerLaunch;
import dev.ktstr.runtime.sched.build.BuildMetadata;
import dev.ktstr.runtime.sched.verifier.Verifier;
import dev.ktstr.runtime.sched.verifier.VerifierReport;
import dev.ktstr.runtime.vm.BootException;
import dev.ktstr.topology.Topology;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ktstr verifier}: how many instructions the kernel's verifier processed for each BPF program
 * of a scheduler, per flag profile, measured by loading it in a single-CPU guest; a profile that
 * does not load shows its cycle-collapsed verifier log. Exit status 0 when every profile loaded, 1
 * when one did not, 2 when the run itself failed.
 */
@Command(name = "verifier", mixinStandardHelpOptions = true,
        description = {"Load a scheduler in a VM (1 CPU unless --cpus or --topology) once per flag profile and print each BPF program's verified "
                + "instruction count (bpf_prog_info.verified_insns); on a load failure, the verifier log with "
                + "repeated loop iterations folded.",
            "--scheduler takes a binary (path or name, found like @Scheduler(binary) is) or the class name of a "
                + "@Scheduler enum (with --class-path), whose flags give the profiles."})
public final class VerifierCommand implements Callable<Integer> {

    /** Exit status when a profile did not load. */
    public static final int EXIT_NOT_LOADED = 1;
    /** Exit status when the run could not be made. */
    public static final int EXIT_ERROR = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--scheduler", required = true, paramLabel = "BIN|CLASS",
            description = "Scheduler binary (path, or a name searched in KTSTR_SCHEDULER_DIR and the scheduler cache) "
                    + "or the fully qualified name of a @Scheduler enum")
    String scheduler;

    @Option(names = "--class-path", paramLabel = "PATH", split = ":",
            description = "Directories or jars holding the @Scheduler enum (e.g. examples/target/test-classes)")
    List<Path> classPath = new ArrayList<>();

    @Option(names = "--all-profiles", description = "Every valid flag profile of the @Scheduler enum (power set)")
    boolean allProfiles;

    @Option(names = "--flags", paramLabel = "a,b",
            description = "One profile: flag names of the enum, or for a plain binary the literal arguments, "
                    + "comma-separated (--flags=-f). Repeatable; the default profile always runs first.")
    List<String> flags = new ArrayList<>();

    @Option(names = "--ops", paramLabel = "NAME",
            description = "The ops name a plain binary registers (default: known for ktstr's builds, else any)")
    String ops;

    @Option(names = "--json", description = "Print the report as JSON")
    boolean json;

    @Option(names = "--cpus", paramLabel = "N", description = "Guest CPUs (default: 1, or the @Scheduler's minCpus)")
    Integer cpus;

    @Option(names = "--topology", paramLabel = "PRESET", converter = TopologyOption.class,
            description = "Guest topology instead of --cpus: a preset (e.g. smt-3llc) or 1n2l2c1t, for schedulers "
                    + "whose programs depend on the topology they load on")
    Topology topology;

    private int minCpus = 1;

    private final ProgressSink progress;

    public VerifierCommand() {
        this(TerminalProgress.stderr());
    }

    public VerifierCommand(ProgressSink progress) {
        this.progress = progress;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new VerifierCommand()).execute(args));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (topology != null && cpus != null) {
            err.println("ktstr verifier: give --topology or --cpus, not both");
            err.flush();
            return EXIT_ERROR;
        }
        try {
            Optional<SchedulerDefinition> enumDef = loadDefinition();
            SchedulerDefinition def = enumDef.orElseGet(() -> SchedulerDefinition.forBinary(opsName(), scheduler,
                    List.of()));
            List<Verifier.Profile> profiles = profiles(def, enumDef.isPresent());
            ResolvedKernel kernel = KernelProvisioner.ensureDefault(progress);
            EngineSelector.Choice engine = EngineSelector.fromServiceLoader().choose();
            if (!engine.found()) {
                err.println("ktstr verifier: no VM engine: " + engine.reason());
                return EXIT_ERROR;
            }
            SchedulerCatalog catalog = SchedulerCatalog.system();
            SchedulerCatalog.Found found = catalog.find(def.binary(), kernel, progress);
            Path progs = catalog.tool("ktstr_progs", kernel, progress);
            SchedulerLaunch base = SchedulerLaunch.plan(def, found, List.of(), List.of(), Optional.empty());
            progress.stage("verifying " + def.name() + " (" + found.path() + "): " + profiles.size() + " profile"
                    + (profiles.size() == 1 ? "" : "s") + " in a " + (topology != null ? topology.render()
                            : (cpus != null ? cpus : minCpus) + "-CPU") + " VM, " + engine.reason());
            Topology shape = topology != null ? topology : Topology.of(1, Math.max(1, cpus != null ? cpus : minCpus), 1);
            VerifierReport report = Verifier.run(kernel, engine, base, progs, profiles, shape);
            out.print(json ? BuildMetadata.json(report) : report.table());
            out.flush();
            return report.allLoaded() ? 0 : EXIT_NOT_LOADED;
        } catch (SchedulerException | KernelException | AgentException e) {
            err.println("ktstr verifier: " + e.getMessage());
        } catch (BootException e) {
            err.println("ktstr verifier: the VM did not boot: " + e.failure().describe());
        }
        err.flush();
        return EXIT_ERROR;
    }

    private String opsName() {
        if (ops != null) {
            return ops;
        }
        String base = scheduler.substring(scheduler.lastIndexOf('/') + 1);
        return BuildableScheduler.byBinary(base).map(BuildableScheduler::opsName).orElse("");
    }

    /** The @Scheduler enum named by --scheduler, when it names one. */
    private Optional<SchedulerDefinition> loadDefinition() throws SchedulerException {
        if (scheduler.contains("/") || !scheduler.contains(".") || scheduler.endsWith(".")) {
            return Optional.empty();
        }
        List<URL> urls = new ArrayList<>();
        for (Path p : classPath) {
            try {
                urls.add(p.toAbsolutePath().toUri().toURL());
            } catch (MalformedURLException e) {
                throw new SchedulerException(SchedulerException.Kind.BAD_DEFINITION, "bad --class-path entry " + p, e);
            }
        }
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new),
                VerifierCommand.class.getClassLoader())) {
            Class<?> c = Class.forName(scheduler, false, loader);
            SchedulerDefinition def = SchedulerDefinition.of(c);
            minCpus = Math.max(1, c.getAnnotation(dev.ktstr.annotations.Scheduler.class).minCpus());
            return Optional.of(def);
        } catch (IOException e) {
            throw new SchedulerException(SchedulerException.Kind.BAD_DEFINITION, "cannot read --class-path: " + e, e);
        } catch (ClassNotFoundException e) {
            if (classPath.isEmpty()) {
                return Optional.empty(); // a binary with a dot in its name
            }
            throw new SchedulerException(SchedulerException.Kind.BAD_DEFINITION, "no class " + scheduler + " in "
                    + String.join(File.pathSeparator, classPath.stream().map(Path::toString).toList()), e);
        }
    }

    private List<Verifier.Profile> profiles(SchedulerDefinition def, boolean fromEnum) throws SchedulerException {
        List<Verifier.Profile> out = new ArrayList<>();
        if (allProfiles) {
            if (!fromEnum) {
                throw new SchedulerException(SchedulerException.Kind.BAD_DEFINITION, "--all-profiles needs a "
                        + "@Scheduler enum (its flags are the profiles); for a plain binary give --flags sets");
            }
            for (List<SchedulerDefinition.FlagDef> p : def.profiles(List.of(), List.of())) {
                out.add(new Verifier.Profile(SchedulerDefinition.profileName(p), def.arguments(List.of(), p)));
            }
            return out;
        }
        out.add(new Verifier.Profile("default", def.arguments(List.of(), List.of())));
        for (String set : flags) {
            List<String> names = List.of(set.split(",")).stream().map(String::strip).filter(s -> !s.isEmpty())
                    .toList();
            if (fromEnum) {
                List<SchedulerDefinition.FlagDef> p = def.flags(names);
                out.add(new Verifier.Profile(SchedulerDefinition.profileName(p), def.arguments(List.of(), p)));
            } else if (!names.isEmpty()) {
                out.add(new Verifier.Profile(String.join(" ", names), names));
            }
        }
        return out;
    }
}

package dev.ktstr.runtime.cli.demo;

import dev.ktstr.kvm.engine.EngineSelector;
import dev.ktstr.runtime.TestBody;
import dev.ktstr.runtime.Variant;
import dev.ktstr.runtime.agent.ExecRequest;
import dev.ktstr.runtime.agent.ExecResult;
import dev.ktstr.runtime.cli.stats.StatsCommand;
import dev.ktstr.runtime.kernel.KernelProvisioner;
import dev.ktstr.runtime.kernel.ResolvedKernel;
import dev.ktstr.runtime.kernel.TerminalProgress;
import dev.ktstr.runtime.result.Outcome;
import dev.ktstr.runtime.runner.RunnerSupport;
import dev.ktstr.runtime.runner.TestDeclaration;
import dev.ktstr.runtime.sched.SchedulerCatalog;
import dev.ktstr.runtime.vm.GuestLauncher;
import dev.ktstr.runtime.vm.GuestVm;
import dev.ktstr.topology.Presets;
import dev.ktstr.topology.Topology;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ktstr demo}: provisions a sched_ext kernel and the example schedulers, boots a guest of an
 * exact topology and shows what it sees, then runs the same scenario under EEVDF and under
 * scx_simple (base topology and two gauntlet presets each), with checks and result files, and ends
 * with the comparator's verdict between the two schedulers.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run ktstr end to end on this machine: real kernel, exact topology, EEVDF vs scx_simple, "
                + "checks, results and a comparison (a few minutes under software emulation).")
public final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--repeat", defaultValue = "2",
            description = "Runs per variant, so the comparison has samples (default ${DEFAULT-VALUE}).")
    int repeat;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        step(out, "1/5 kernel");
        ResolvedKernel kernel = KernelProvisioner.ensureDefault(TerminalProgress.stderr());
        out.println("kernel " + kernel.describe());
        EngineSelector.Choice engine = RunnerSupport.engine();
        out.println("engine: " + engine.reason());
        if (!engine.found()) {
            return 2;
        }

        step(out, "2/5 sched_ext schedulers (built from the kernel's tools/sched_ext on first use)");
        SchedulerCatalog.Found simple = SchedulerCatalog.system().find("scx_simple", kernel, TerminalProgress.stderr());
        out.println("scx_simple: " + simple.path());

        step(out, "3/5 a guest of exact topology smt-2llc (" + Presets.byName("smt-2llc").orElseThrow().topology() + ")");
        Topology t = Presets.byName("smt-2llc").orElseThrow().topology();
        var req = new GuestLauncher.Request(t, 0, kernel, Optional.empty(), List.of(), Map.of(), List.of(),
                GuestLauncher.bootTimeout(engine, t), Duration.ofMinutes(5), false, false);
        try (GuestVm vm = GuestLauncher.launch(req, engine)) {
            ExecResult r = vm.agent().exec(ExecRequest.shell(String.join("; ",
                    "echo \"cpus:        $(nproc)\"",
                    "echo \"smt siblings: $(cat /sys/devices/system/cpu/cpu0/topology/thread_siblings_list) (cpu0)\"",
                    "echo \"llc of cpu0: $(cat /sys/devices/system/cpu/cpu0/cache/index3/shared_cpu_list)\"",
                    "echo \"llc of cpu7: $(cat /sys/devices/system/cpu/cpu7/cache/index3/shared_cpu_list)\"",
                    "echo \"sched_ext:   $(cat /sys/kernel/sched_ext/state)\"",
                    "echo \"kernel:      $(uname -r)\""), Duration.ofSeconds(30)));
            out.println("booted in " + vm.bootMs() + " ms; the guest sees:");
            r.stdoutText().lines().forEach(l -> out.println("  " + l));
        }

        step(out, "4/5 the same scenario (mixed workloads) under EEVDF and scx_simple, " + repeat + " runs each");
        System.setProperty("ktstr.repeat", Integer.toString(repeat));
        Path dir = Path.of("target", "ktstr", "demo-" + java.time.LocalDateTime.now().format(
                java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        System.setProperty("ktstr.results.dir", dir.toString());
        List<Variant> variants = new ArrayList<>();
        for (String method : List.of("eevdfMixed", "simpleMixed")) {
            variants.add(Variant.base(DemoTests.class, method));
            variants.add(Variant.gauntlet(DemoTests.class, method, "tiny-2llc"));
        }
        out.printf(Locale.ROOT, "%-36s %-8s %-9s %10s %9s %9s%n", "VARIANT", "SCHED", "STATUS", "ITERATIONS",
                "SPREAD%", "GAP ms");
        int failed = 0;
        for (Variant v : variants) {
            TestDeclaration d = TestDeclaration.of(v);
            TestBody body = ctx -> v.testClass().getMethod(v.method(), dev.ktstr.runtime.Ctx.class)
                    .invoke(new DemoTests(), ctx);
            for (RunnerSupport.Repetition rep : RunnerSupport.execute(d, body)) {
                var m = rep.file() == null ? Map.<String, Double>of()
                        : dev.ktstr.runtime.result.ResultFiles.mapper().readValue(rep.file().toFile(),
                                dev.ktstr.runtime.result.RunResult.class).metrics();
                out.printf(Locale.ROOT, "%-36s %-8s %-9s %10.0f %9.1f %9.0f%n", v.id() + " #" + rep.index(),
                        d.scheduler().name(), rep.outcome().status(), m.getOrDefault("total_iterations", Double.NaN),
                        m.getOrDefault("worst_spread", Double.NaN), m.getOrDefault("worst_gap_ms", Double.NaN));
                out.flush();
                if (rep.outcome().status() != Outcome.Status.PASSED) {
                    failed++;
                    out.println(rep.describe().lines().limit(12).map(l -> "    " + l)
                            .reduce((a, b) -> a + "\n" + b).orElse(""));
                }
            }
        }

        step(out, "5/5 compare: baseline EEVDF (A) vs candidate scx_simple (B)");
        if (Files.isDirectory(dir)) {
            out.println("results in " + dir);
            out.flush();
            // The two schedulers' tests are different methods: pair them by shape, not by test name.
            StatsCommand.execute(out, spec.commandLine().getErr(), "compare", "--a-dir", dir.toString(), "--b-dir",
                    dir.toString(), "--a-scheduler", "eevdf", "--b-scheduler", "simple", "--pair-by",
                    "topology,flags,work_type,kernel,engine");
        }
        out.println();
        out.println(failed == 0 ? "demo: every run passed its checks" : "demo: " + failed + " run(s) did not pass");
        out.flush();
        return failed == 0 ? 0 : 1;
    }

    private static void step(PrintWriter out, String what) {
        out.println();
        out.println("== " + what);
        out.flush();
    }
}

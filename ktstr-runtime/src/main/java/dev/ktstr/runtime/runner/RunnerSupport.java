package dev.ktstr.runtime.runner;

import dev.ktstr.kvm.engine.EngineSelector;
import dev.ktstr.runtime.TestBody;
import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.KernelProvisioner;
import dev.ktstr.runtime.kernel.ResolvedKernel;
import dev.ktstr.runtime.kernel.TerminalProgress;
import dev.ktstr.runtime.result.Outcome;
import dev.ktstr.runtime.sched.SchedulerException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link dev.ktstr.runtime.KtstrRunner} delegates to: per-JVM engine and kernel choice (made once,
 * logged once), the repetitions of a variant, and what each produced.
 */
public final class RunnerSupport {

    private static volatile EngineSelector.Choice engine;
    private static volatile Object kernel; // ResolvedKernel or KernelException

    private RunnerSupport() {}

    /** One repetition's outcome, report, result file and what the test body threw. */
    public record Repetition(int index, Outcome outcome, String report, Path file, Throwable thrown) {
        /** The failures, the report and where the result file is, for a failure message. */
        public String describe() {
            StringBuilder sb = new StringBuilder();
            sb.append("repetition ").append(index).append(": ").append(outcome.status());
            for (Outcome.Failure f : outcome.failures()) {
                sb.append("\n  ").append(f.kind()).append(": ").append(f.message());
            }
            if (!report.isBlank()) {
                sb.append('\n').append(report.strip());
            }
            if (file != null) {
                sb.append("\nresult: ").append(file);
            }
            return sb.toString();
        }
    }

    /** The engine every test of this JVM uses, chosen once. */
    public static EngineSelector.Choice engine() {
        EngineSelector.Choice c = engine;
        if (c == null) {
            synchronized (RunnerSupport.class) {
                if (engine == null) {
                    engine = EngineSelector.fromServiceLoader().choose();
                    System.err.println("ktstr: " + engine.reason());
                }
                c = engine;
            }
        }
        return c;
    }

    /** The kernel every test of this JVM boots, provisioned once (fetched on a fresh machine). */
    static ResolvedKernel kernel() throws KernelException {
        Object k = kernel;
        if (k == null) {
            synchronized (RunnerSupport.class) {
                if (kernel == null) {
                    try {
                        ResolvedKernel r = KernelProvisioner.ensureDefault(TerminalProgress.stderr());
                        System.err.println("ktstr: kernel " + r.describe());
                        kernel = r;
                    } catch (KernelException e) {
                        kernel = e;
                    }
                }
                k = kernel;
            }
        }
        if (k instanceof KernelException e) {
            throw e;
        }
        return (ResolvedKernel) k;
    }

    /** How many repetitions {@code -Dktstr.repeat} asks for (at least 1). */
    static int repetitions() {
        String v = System.getProperty("ktstr.repeat", "").trim();
        if (v.isEmpty()) {
            return 1;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new IllegalArgumentException("-Dktstr.repeat must be at least 1, got " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-Dktstr.repeat must be a number, got '" + v + "'", e);
        }
    }

    /** Runs every repetition of the variant; a host that cannot run it yields one skipped repetition. */
    public static List<Repetition> execute(TestDeclaration d, TestBody body) {
        if (d.test().hostOnly()) {
            String release = HostFacts.host().uname();
            List<Repetition> out = new ArrayList<>();
            for (int i = 0; i < repetitions(); i++) {
                VariantExecution.Result r = VariantExecution.runOnHost(d, body, i, release);
                out.add(new Repetition(i, r.outcome(), r.report(), r.file(), r.thrown()));
            }
            return out;
        }
        EngineSelector.Choice e = engine();
        if (!e.found()) {
            return List.of(skipped("no VM engine: " + e.reason()));
        }
        ResolvedKernel k;
        try {
            k = kernel();
        } catch (KernelException ex) {
            return List.of(skipped("no kernel: " + ex.getMessage()));
        }
        List<Repetition> out = new ArrayList<>();
        int n = repetitions();
        for (int i = 0; i < n; i++) {
            SchedulerControl sched;
            try {
                sched = SchedulerControls.forTest(d, k);
            } catch (SchedulerException ex) {
                // Before any VM boots: a missing binary names every place discovery looked.
                return List.of(new Repetition(i, new Outcome(Outcome.Status.ERROR,
                        List.of(new Outcome.Failure("SchedulerNotFound", ex.getMessage()))), "", null, null));
            }
            VariantExecution.Result r = VariantExecution.run(d, body, i, e, k, sched);
            out.add(new Repetition(i, r.outcome(), r.report(), r.file(), r.thrown()));
        }
        return out;
    }

    private static Repetition skipped(String reason) {
        return new Repetition(0, new Outcome(Outcome.Status.SKIPPED, List.of(new Outcome.Failure("Skipped", reason))),
                "", null, null);
    }
}

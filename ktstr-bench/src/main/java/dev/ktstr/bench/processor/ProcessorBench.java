package dev.ktstr.bench.processor;

import dev.ktstr.bench.Machine;
import dev.ktstr.processor.KtstrProcessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * What the ktstr processor costs a build: a synthetic suite of 200 tests (20 classes × 10) over a
 * scheduler with 8 flags, 16,400 variants, compiled in-process with javax.tools three ways side by
 * side — without the processor ({@code -proc:none}), with it, and the processor's own time inside
 * that javac run — cold first, then warm (median of the following runs).
 *
 * <p>Run: {@code mvn -B -o -pl ktstr-bench -am package -DskipTests} then
 * {@code java -cp "ktstr-bench/target/classes:ktstr-bench/target/lib/*" dev.ktstr.bench.processor.ProcessorBench [classes testsPerClass runs]}.
 */
public final class ProcessorBench {

    private ProcessorBench() {}

    /** One compilation's timings. */
    private record Run(double javacSecs, double processorSecs, long generatedFiles) {}

    public static void main(String[] args) throws IOException {
        int classes = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int perClass = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        List<JavaFileObject> sources = SyntheticSuite.sources(classes, perClass);
        System.out.printf(Locale.ROOT, "synthetic suite: %d tests in %d classes, 8 flags (%d profiles), %d variants%n",
                classes * perClass, classes, SyntheticSuite.PROFILES, SyntheticSuite.variants(classes, perClass));
        System.out.println("load average before: " + Machine.loadAverage());
        List<Run> plain = new ArrayList<>();
        List<Run> processed = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            plain.add(compile(sources, false));
            processed.add(compile(sources, true));
        }
        System.out.println();
        System.out.println("| javac, in-process                     | cold (s) | warm median (s) |");
        System.out.println("|---------------------------------------|---------:|----------------:|");
        row("without the processor", plain, Run::javacSecs);
        row("with the processor", processed, Run::javacSecs);
        row("  of which processor work", processed, Run::processorSecs);
        row("  of which the rest (generated code)", processed, r -> r.javacSecs() - r.processorSecs());
        int variants = SyntheticSuite.variants(classes, perClass);
        double[] work = processed.stream().skip(1).mapToDouble(Run::processorSecs).sorted().toArray();
        System.out.printf(Locale.ROOT, "%nprocessor work per 10,000 variants: %.2f s cold, %.2f s warm (target < 2 s)%n",
                processed.get(0).processorSecs() * 10_000 / variants,
                work.length == 0 ? Double.NaN : work[work.length / 2] * 10_000 / variants);
        System.out.printf(Locale.ROOT, "files generated per run: %d (sources and manifests)%n",
                processed.get(0).generatedFiles());
        System.out.println("load average after: " + Machine.loadAverage());
    }

    private static void row(String label, List<Run> runs, java.util.function.ToDoubleFunction<Run> f) {
        double cold = f.applyAsDouble(runs.get(0));
        double[] warm = runs.stream().skip(1).mapToDouble(f).sorted().toArray();
        double median = warm.length == 0 ? Double.NaN : warm[warm.length / 2];
        System.out.printf(Locale.ROOT, "| %-37s | %8.2f | %15.2f |%n", label, cold, median);
    }

    private static Run compile(List<JavaFileObject> sources, boolean withProcessor) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Path out = Files.createTempDirectory("ktstr-bench-javac");
        try {
            Files.createDirectories(out.resolve("classes"));
            Files.createDirectories(out.resolve("generated"));
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
                List<String> options = new ArrayList<>(List.of("--release", "17", "-classpath",
                        System.getProperty("java.class.path"), "-d", out.resolve("classes").toString(), "-s",
                        out.resolve("generated").toString(), "-implicit:none"));
                TimedProcessor processor = new TimedProcessor(new KtstrProcessor());
                if (!withProcessor) {
                    options.add("-proc:none");
                }
                JavaCompiler.CompilationTask task = javac.getTask(null, files, diagnostics, options, null, sources);
                if (withProcessor) {
                    task.setProcessors(List.of(processor));
                }
                long t = System.nanoTime();
                boolean ok = task.call();
                double secs = (System.nanoTime() - t) / 1e9;
                if (!ok) {
                    throw new IllegalStateException("synthetic suite failed to compile: " + diagnostics.getDiagnostics());
                }
                return new Run(secs, processor.nanos() / 1e9, count(out.resolve("generated")) + count(out.resolve(
                        "classes/META-INF")));
            }
        } finally {
            delete(out);
        }
    }

    private static long count(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}

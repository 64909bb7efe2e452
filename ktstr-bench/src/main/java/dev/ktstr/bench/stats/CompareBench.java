package dev.ktstr.bench.stats;

import dev.ktstr.runtime.result.ResultFiles;
import dev.ktstr.runtime.result.ResultSet;
import dev.ktstr.runtime.result.RunResult;
import dev.ktstr.runtime.stats.ComparePolicy;
import dev.ktstr.runtime.stats.Comparison;
import dev.ktstr.runtime.stats.Metric;
import dev.ktstr.runtime.stats.Metrics;
import dev.ktstr.runtime.stats.ResultComparator;
import dev.ktstr.runtime.stats.StatTest;
import dev.ktstr.runtime.stats.Verdict;
import dev.ktstr.runtime.stats.synth.NoiseModel;
import dev.ktstr.runtime.stats.synth.SyntheticSuite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.apache.commons.math3.stat.inference.TTest;

/**
 * How long comparing 10,000 cells × 10 runs per side takes: the ktstr comparator (Mann-Whitney and
 * Welch, with Benjamini–Hochberg) beside what a user would write instead — commons-math3's
 * {@code MannWhitneyUTest}/{@code TTest} per cell over the same grouped values, and ktstr 0.4.9's
 * gate-only comparison of averages — plus reading the result files from disk.
 *
 * <p>Run: {@code java -cp 'ktstr-bench/target/classes:ktstr-bench/target/lib/*' dev.ktstr.bench.stats.CompareBench}
 */
public final class CompareBench {

    private static final int RUNS = 10;
    private static final int TESTS = (10_000 + Metrics.ALL.size() - 1) / Metrics.ALL.size();

    private CompareBench() {}

    public static void main(String[] args) throws IOException {
        boolean files = !Arrays.asList(args).contains("--no-files");
        SyntheticSuite suite = new SyntheticSuite(NoiseModel.VM_TYPICAL, 1, TESTS);
        Random rng = new Random(2);
        List<RunResult> a = suite.side(rng, "7.3.4", RUNS, Map.of());
        List<RunResult> b = suite.side(rng, "7.3.4", RUNS, t -> t % 20 == 0
                ? Map.of("worst_p99_wake_latency_us", 1.3) : Map.of());
        Comparison probe = ResultComparator.compare(a, b, ComparePolicy.defaults());
        System.out.printf(Locale.ROOT, "%d tests x %d metrics = %d cells, %d runs per side (%d + %d results)%n%n",
                TESTS, Metrics.ALL.size(), probe.counts().cells(), RUNS, a.size(), b.size());
        System.out.printf(Locale.ROOT, "%-58s %10s %10s %12s%n", "comparison of all cells", "median ms", "min ms",
                "regressions");
        row("ktstr default: auto (Mann-Whitney at 10 runs) + B-H",
                () -> ResultComparator.compare(a, b, ComparePolicy.defaults()).counts().count(Verdict.REGRESSION));
        row("ktstr: Welch t + B-H",
                () -> ResultComparator.compare(a, b, ComparePolicy.defaults().withTest(StatTest.WELCH)).counts()
                        .count(Verdict.REGRESSION));
        row("commons-math3 MannWhitneyUTest per cell (two-sided, no FDR)", () -> perCell(a, b, true));
        row("commons-math3 TTest (Welch) per cell (two-sided, no FDR)", () -> perCell(a, b, false));
        row("ktstr 0.4.9 style: gates on averages, no test", () -> gateOnly(a, b));
        if (files) {
            System.out.println();
            loadFiles(a, b);
        }
    }

    private static void row(String name, Supplier<Integer> work) {
        for (int i = 0; i < 3; i++) {
            work.get();
        }
        double[] ms = new double[7];
        int result = 0;
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            result = work.get();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "%-58s %10.1f %10.1f %12d%n", name, ms[ms.length / 2], ms[0], result);
    }

    /** Groups by test and runs the commons-math3 test on every metric: the obvious hand-written loop. */
    private static int perCell(List<RunResult> a, List<RunResult> b, boolean mannWhitney) {
        Map<String, List<RunResult>> ga = group(a);
        Map<String, List<RunResult>> gb = group(b);
        MannWhitneyUTest mw = new MannWhitneyUTest();
        TTest tt = new TTest();
        int hits = 0;
        for (Map.Entry<String, List<RunResult>> e : ga.entrySet()) {
            List<RunResult> rb = gb.get(e.getKey());
            for (Metric m : Metrics.ALL) {
                double[] x = values(e.getValue(), m.name());
                double[] y = values(rb, m.name());
                double p = mannWhitney ? mw.mannWhitneyUTest(x, y) : tt.tTest(x, y);
                double d = mean(y) - mean(x);
                if (p < 0.05 && m.polarity().isWorse(d)) {
                    hits++;
                }
            }
        }
        return hits;
    }

    private static int gateOnly(List<RunResult> a, List<RunResult> b) {
        Map<String, List<RunResult>> ga = group(a);
        Map<String, List<RunResult>> gb = group(b);
        int hits = 0;
        for (Map.Entry<String, List<RunResult>> e : ga.entrySet()) {
            List<RunResult> rb = gb.get(e.getKey());
            for (Metric m : Metrics.ALL) {
                double ma = mean(values(e.getValue(), m.name()));
                double mb = mean(values(rb, m.name()));
                double d = mb - ma;
                double rel = Math.abs(ma) > 1e-9 ? Math.abs(d / ma) : 0;
                if (Math.abs(d) >= m.defaultAbs() && rel >= m.defaultRel() && m.polarity().isWorse(d)) {
                    hits++;
                }
            }
        }
        return hits;
    }

    private static Map<String, List<RunResult>> group(List<RunResult> rows) {
        Map<String, List<RunResult>> g = new HashMap<>();
        for (RunResult r : rows) {
            g.computeIfAbsent(r.className() + "#" + r.testName() + "|" + r.topology(), k -> new ArrayList<>()).add(r);
        }
        return g;
    }

    private static double[] values(List<RunResult> rows, String metric) {
        return rows.stream().mapToDouble(r -> r.metrics().get(metric)).toArray();
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static void loadFiles(List<RunResult> a, List<RunResult> b) throws IOException {
        Path tmp = Files.createTempDirectory("ktstr-compare-bench");
        try {
            Path da = tmp.resolve("a");
            Path db = tmp.resolve("b");
            long t0 = System.nanoTime();
            for (RunResult r : a) {
                ResultFiles.write(da, r);
            }
            for (RunResult r : b) {
                ResultFiles.write(db, r);
            }
            double writeMs = (System.nanoTime() - t0) / 1e6;
            long t1 = System.nanoTime();
            ResultSet sa = ResultFiles.readDirectory(da);
            ResultSet sb = ResultFiles.readDirectory(db);
            double readMs = (System.nanoTime() - t1) / 1e6;
            long t2 = System.nanoTime();
            Comparison c = ResultComparator.compare(sa, sb, ComparePolicy.defaults());
            double cmpMs = (System.nanoTime() - t2) / 1e6;
            long bytes;
            try (Stream<Path> s = Files.walk(tmp)) {
                bytes = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            }
            System.out.printf(Locale.ROOT, "%-58s %10s%n", "from disk (cold JVM paths, one pass)", "ms");
            System.out.printf(Locale.ROOT, "%-58s %10.0f%n", "write " + (a.size() + b.size())
                    + " result files (atomic, fsync each)", writeMs);
            System.out.printf(Locale.ROOT, "%-58s %10.0f%n", "read them back (" + bytes / (1 << 20) + " MiB)", readMs);
            System.out.printf(Locale.ROOT, "%-58s %10.0f%n", "compare (" + c.counts().cells() + " cells)", cmpMs);
        } finally {
            try (Stream<Path> s = Files.walk(tmp)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}

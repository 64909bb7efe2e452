package dev.ktstr.bench.budget;

import dev.ktstr.bench.Machine;
import dev.ktstr.runtime.junit.BudgetSelector;
import dev.ktstr.runtime.junit.SelectionPlan;
import dev.ktstr.runtime.junit.SelectionSettings;
import dev.ktstr.runtime.junit.ShardPlanner;
import dev.ktstr.runtime.junit.VariantManifests;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Budget selection at scale: 102,600 real manifest entries (see {@link SyntheticManifests}) read the
 * way every test JVM reads them, then the lazy greedy pick beside the plain greedy for several budgets,
 * shard assignment, and the whole plan (budget + shard) a filter computes. Every path runs once to warm
 * up, then each figure is the median of 5 runs (the plain greedy, being slow, runs once). The machine's
 * load average is printed with the table: on a shared machine it moves the figures.
 *
 * <p>Run: {@code mvn -B -o -pl ktstr-bench -am package -DskipTests} then
 * {@code java -cp "ktstr-bench/target/classes:ktstr-bench/target/lib/*" dev.ktstr.bench.budget.BudgetBench}.
 */
public final class BudgetBench {

    private BudgetBench() {}

    public static void main(String[] args) throws IOException {
        Path root = Files.createTempDirectory("ktstr-bench-manifests");
        try {
            int written = SyntheticManifests.write(root, 20, 10);
            VariantManifests manifests = read(root);
            List<BudgetSelector.Candidate> all = manifests.entries().stream().map(BudgetSelector.Candidate::of).toList();
            double totalSecs = all.stream().mapToDouble(BudgetSelector.Candidate::costSecs).sum();
            System.out.printf(Locale.ROOT, "%d variants written, %d read, %.0f s estimated in total%n", written,
                    all.size(), totalSecs);
            double[] budgets = {60, 600, 3600, 36000};
            for (double budget : budgets) {
                BudgetSelector.select(all, budget); // warm-up of every path before any figure is taken
            }
            System.out.println("load average before measuring: " + Machine.loadAverage() + "\n");
            System.out.println("| step                              | budget (s) | picked | median (s) | plain greedy (s) |");
            System.out.println("|-----------------------------------|-----------:|-------:|-----------:|-----------------:|");
            row("read 20 manifests (Jackson)", "-", all.size(), median(() -> read(root)), "-");
            for (double budget : budgets) {
                BudgetSelector.Result r = BudgetSelector.select(all, budget);
                double lazy = median(() -> BudgetSelector.select(all, budget));
                long t = System.nanoTime();
                int plain = PlainGreedy.select(all, budget);
                double plainSecs = (System.nanoTime() - t) / 1e9;
                if (plain != r.selected().size()) {
                    throw new IllegalStateException("plain greedy picked " + plain + ", lazy " + r.selected().size());
                }
                row("budget pick (lazy greedy)", String.format(Locale.ROOT, "%.0f", budget), r.selected().size(), lazy,
                        String.format(Locale.ROOT, "%.3f", plainSecs));
            }
            row("shard assignment, 8 shards (LPT)", "-", all.size(), median(() -> ShardPlanner.assign(all, 8)), "-");
            SelectionSettings settings = new SelectionSettings(OptionalDouble.of(3600), SelectionSettings.Shard.parse("1/8"));
            SelectionPlan plan = SelectionPlan.of(manifests, settings);
            row("whole plan: budget 3600 + shard 1/8", "3600", plan.kept().size(),
                    median(() -> SelectionPlan.of(manifests, settings)), "-");
            System.out.println();
            plan.summary().forEach(System.out::println);
            System.out.println("load average after: " + Machine.loadAverage());
        } finally {
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static VariantManifests read(Path root) {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, null)) {
            return VariantManifests.of(loader);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void row(String step, String budget, int picked, double secs, String plain) {
        System.out.printf(Locale.ROOT, "| %-33s | %10s | %6d | %10.3f | %16s |%n", step, budget, picked, secs, plain);
    }

    private static double median(Supplier<?> f) {
        f.get();
        double[] t = new double[5];
        for (int i = 0; i < t.length; i++) {
            long s = System.nanoTime();
            f.get();
            t[i] = (System.nanoTime() - s) / 1e9;
        }
        java.util.Arrays.sort(t);
        return t[t.length / 2];
    }
}

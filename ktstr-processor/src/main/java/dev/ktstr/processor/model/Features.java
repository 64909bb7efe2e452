package dev.ktstr.processor.model;

import dev.ktstr.topology.Topology;
import java.util.List;
import java.util.TreeSet;

/**
 * The named features a variant exercises, which budget selection tries to cover as widely as it can
 * per estimated second. ktstr (facts §5.3) packs a fixed 49-bit mask in which only six built-in flag
 * names count; here every feature is a string, so every flag of every scheduler counts:
 *
 * <ul>
 *   <li>{@code sched:NAME} — the scheduler;
 *   <li>{@code flag:SCHED/FLAG} for each active flag, or {@code flags:SCHED/default} for none;
 *   <li>{@code cpus:…}, {@code llcs:…}, {@code numa:…} buckets and {@code smt:on}/{@code smt:off}
 *       (VM variants only);
 *   <li>{@code dur:1-2}, {@code dur:3-10}, {@code dur:11+};
 *   <li>{@code perf}, {@code host-only}, {@code expect-err}, {@code workers:3+} when they apply;
 *   <li>{@code base} or {@code gauntlet};
 *   <li>{@code test:CLASS#METHOD} — the test itself, so a budget reaches every test before it
 *       repeats one.
 * </ul>
 */
public final class Features {

    private Features() {}

    /** The variant's features, sorted. */
    public static List<String> of(VariantModel v) {
        TestModel t = v.test();
        String sched = t.scheduler().name();
        TreeSet<String> out = new TreeSet<>();
        out.add("sched:" + sched);
        if (v.flags().isEmpty()) {
            out.add("flags:" + sched + "/default");
        }
        for (String f : v.flags()) {
            out.add("flag:" + sched + "/" + f);
        }
        if (!t.hostOnly()) {
            Topology topo = v.topology();
            out.add("cpus:" + bucket(topo.totalCpus(), new int[] {8, 16, 64, 128}));
            out.add("llcs:" + bucket(topo.llcs(), new int[] {1, 2, 4, 8}));
            out.add("numa:" + bucket(topo.numaNodes(), new int[] {1, 2, 4}));
            out.add(topo.hasSmt() ? "smt:on" : "smt:off");
        }
        out.add("dur:" + bucket(t.durationS(), new int[] {2, 10}));
        if (t.performanceMode()) {
            out.add("perf");
        }
        if (t.hostOnly()) {
            out.add("host-only");
        }
        if (!t.expectErr().equals("NONE")) {
            out.add("expect-err");
        }
        if (t.workersPerCgroup() > 2) {
            out.add("workers:3+");
        }
        out.add(v.isGauntlet() ? "gauntlet" : "base");
        out.add("test:" + t.testClass().binaryName() + "#" + t.method());
        return List.copyOf(out);
    }

    /**
     * The bucket of {@code value} given ascending inclusive upper bounds: {@code 1-8}, {@code 9-16}, …,
     * and {@code N+} above the last bound; a bucket holding one value is named by it ({@code 1}).
     */
    static String bucket(int value, int[] upperBounds) {
        int low = 1;
        for (int bound : upperBounds) {
            if (value <= bound) {
                return low == bound ? Integer.toString(bound) : low + "-" + bound;
            }
            low = bound + 1;
        }
        return low + "+";
    }
}

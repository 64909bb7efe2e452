package dev.ktstr.runtime.junit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * Picks the variants to run within a time budget (ktstr facts §5.3, improved): greedy weighted
 * max-coverage. It repeatedly takes the candidate that covers the most not-yet-covered features per
 * estimated second, among those whose cost still fits, ties going to the smaller id (then key).
 *
 * <p>Two improvements over ktstr. Features are named strings, so every flag of every scheduler counts
 * (ktstr only knew six built-in flag names). And when every feature is covered but budget is left,
 * ktstr stops; here a new round starts with nothing covered, so leftover time buys a second
 * configuration of each feature, and a budget that fits everything runs everything.
 *
 * <p>The pick is lazy (CELF): a candidate's gain only shrinks as coverage grows, so a stale heap score
 * is an upper bound, and a popped candidate whose refreshed score is unchanged is the true best. The
 * result is identical to the plain greedy, far faster, and a pure function of the candidates, so every
 * JVM computes the same subset.
 */
public final class BudgetSelector {

    private BudgetSelector() {}

    /**
     * One selectable variant.
     *
     * @param key      unique key (ties after the id)
     * @param id       variant id (ties)
     * @param costSecs estimated seconds, positive
     * @param features what it exercises
     */
    public record Candidate(String key, String id, double costSecs, List<String> features) {

        public static Candidate of(ManifestEntry e) {
            return new Candidate(e.key(), e.id(), e.costSecs(), e.features());
        }
    }

    /**
     * The outcome of a pick.
     *
     * @param selected        chosen candidates, in pick order
     * @param candidates      how many there were
     * @param usedSecs        their summed cost
     * @param budgetSecs      the budget
     * @param coveredFeatures distinct features the selection covers
     * @param totalFeatures   distinct features over all candidates
     */
    public record Result(List<Candidate> selected, int candidates, double usedSecs, double budgetSecs,
            int coveredFeatures, int totalFeatures) {

        /** {@code ktstr budget: X/Y tests, U/Bs used, c/p features covered}. */
        public String summary() {
            return String.format(java.util.Locale.ROOT, "ktstr budget: %d/%d tests, %.1f/%.1fs used, %d/%d features covered",
                    selected.size(), candidates, usedSecs, budgetSecs, coveredFeatures, totalFeatures);
        }
    }

    public static Result select(List<Candidate> input, double budgetSecs) {
        if (!(budgetSecs > 0)) {
            throw new IllegalArgumentException("budget must be positive seconds, got " + budgetSecs);
        }
        Candidate[] c = input.toArray(Candidate[]::new);
        Arrays.sort(c, Comparator.comparing(Candidate::id).thenComparing(Candidate::key));
        int[][] features = intern(c);
        int total = distinct(features);
        double sum = 0;
        for (Candidate x : c) {
            sum += x.costSecs();
        }
        List<Integer> picked = new ArrayList<>();
        double remaining = budgetSecs;
        if (sum <= budgetSecs) {
            for (int i = 0; i < c.length; i++) {
                picked.add(i);
            }
            remaining -= sum;
        } else {
            boolean[] taken = new boolean[c.length];
            int before;
            do {
                before = picked.size();
                remaining = round(c, features, taken, remaining, picked);
            } while (picked.size() > before);
        }
        BitSet covered = new BitSet(total);
        List<Candidate> selected = new ArrayList<>(picked.size());
        for (int i : picked) {
            selected.add(c[i]);
            for (int f : features[i]) {
                covered.set(f);
            }
        }
        return new Result(List.copyOf(selected), c.length, budgetSecs - remaining, budgetSecs, covered.cardinality(),
                total);
    }

    /** One coverage round from nothing covered; returns the budget left. */
    private static double round(Candidate[] c, int[][] features, boolean[] taken, double remaining, List<Integer> out) {
        BitSet covered = new BitSet();
        PriorityQueue<Scored> heap = new PriorityQueue<>(Math.max(1, c.length), Scored.ORDER);
        for (int i = 0; i < c.length; i++) {
            if (!taken[i] && c[i].costSecs() <= remaining) {
                heap.add(new Scored(i, features[i].length / c[i].costSecs()));
            }
        }
        while (!heap.isEmpty()) {
            Scored top = heap.poll();
            Candidate x = c[top.index];
            if (x.costSecs() > remaining) {
                continue; // the budget only shrinks: it will never fit again
            }
            int gain = 0;
            for (int f : features[top.index]) {
                if (!covered.get(f)) {
                    gain++;
                }
            }
            if (gain == 0) {
                continue; // nothing new this round; a later round may take it
            }
            double score = gain / x.costSecs();
            if (score < top.score) {
                heap.add(new Scored(top.index, score));
                continue;
            }
            taken[top.index] = true;
            out.add(top.index);
            remaining -= x.costSecs();
            for (int f : features[top.index]) {
                covered.set(f);
            }
        }
        return remaining;
    }

    private record Scored(int index, double score) {
        static final Comparator<Scored> ORDER =
                Comparator.comparingDouble(Scored::score).reversed().thenComparingInt(Scored::index);
    }

    /** Each candidate's features as indexes into the sorted set of all feature names. */
    private static int[][] intern(Candidate[] c) {
        TreeSet<String> names = new TreeSet<>();
        for (Candidate x : c) {
            names.addAll(x.features());
        }
        Map<String, Integer> index = new HashMap<>();
        for (String n : names) {
            index.put(n, index.size());
        }
        int[][] out = new int[c.length][];
        for (int i = 0; i < c.length; i++) {
            out[i] = c[i].features().stream().distinct().mapToInt(index::get).toArray();
        }
        return out;
    }

    private static int distinct(int[][] features) {
        BitSet all = new BitSet();
        for (int[] f : features) {
            for (int x : f) {
                all.set(x);
            }
        }
        return all.cardinality();
    }
}

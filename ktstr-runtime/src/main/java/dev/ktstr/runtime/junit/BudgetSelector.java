package dev.ktstr.runtime.junit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 * <p>The pick is lazy (CELF): a candidate's gain only shrinks as coverage grows, so a stale score is
 * an upper bound, and a candidate whose refreshed score is unchanged is the true best. Fresh scores
 * are the same in every round, so candidates are sorted by them once and each round walks that order,
 * merged with a heap of the candidates it re-scored; a round ends when every feature is covered. The
 * result is identical to the plain greedy (a test checks it), far faster, and a pure function of the
 * candidates, so every JVM computes the same subset.
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
            remaining = rounds(c, features, total, budgetSecs, picked);
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

    /**
     * Coverage rounds until a round picks nothing; returns the budget left. A fresh round's score of a
     * candidate is always {@code |features| / cost}, so candidates are sorted by it once; each round
     * walks that order and merges it with a heap of candidates whose score was lowered in the round.
     */
    private static double rounds(Candidate[] c, int[][] features, int total, double budget, List<Integer> out) {
        int n = c.length;
        double[] fresh = new double[n];
        Integer[] boxed = new Integer[n];
        for (int i = 0; i < n; i++) {
            fresh[i] = features[i].length / c[i].costSecs();
            boxed[i] = i;
        }
        Arrays.sort(boxed, (a, b) -> ScoreHeap.before(a, fresh[a], b, fresh[b]) ? -1 : a.equals(b) ? 0 : 1);
        int[] order = Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
        boolean[] gone = new boolean[n]; // taken, or too expensive for what is left (which only shrinks)
        ScoreHeap lowered = new ScoreHeap();
        BitSet covered = new BitSet(total);
        double remaining = budget;
        int before;
        do {
            before = out.size();
            covered.clear();
            lowered.clear();
            int available = available(c, features, gone, remaining, covered);
            int coveredCount = 0;
            int pos = 0;
            while (coveredCount < available) {
                while (pos < n && (gone[order[pos]] || c[order[pos]].costSecs() > remaining)) {
                    gone[order[pos]] |= c[order[pos]].costSecs() > remaining;
                    pos++;
                }
                int i;
                double stored;
                if (pos < n && (lowered.isEmpty()
                        || ScoreHeap.before(order[pos], fresh[order[pos]], lowered.peekIndex(), lowered.peekScore()))) {
                    i = order[pos++];
                    stored = fresh[i];
                } else if (!lowered.isEmpty()) {
                    i = lowered.peekIndex();
                    stored = lowered.peekScore();
                    lowered.pop();
                } else {
                    break;
                }
                if (c[i].costSecs() > remaining) {
                    gone[i] = true;
                    continue;
                }
                int gain = 0;
                for (int f : features[i]) {
                    if (!covered.get(f)) {
                        gain++;
                    }
                }
                if (gain == 0) {
                    continue; // nothing new this round; a later round may take it
                }
                double score = gain / c[i].costSecs();
                if (score < stored) {
                    lowered.push(i, score); // the stale score was an upper bound: re-queue
                    continue;
                }
                gone[i] = true;
                out.add(i);
                remaining -= c[i].costSecs();
                for (int f : features[i]) {
                    if (!covered.get(f)) {
                        covered.set(f);
                        coveredCount++;
                    }
                }
            }
        } while (out.size() > before);
        return remaining;
    }

    /**
     * How many distinct features the candidates still in play (not taken, affordable) have: a round is
     * over once it covers them all. Uses {@code scratch} and leaves it clear.
     */
    private static int available(Candidate[] c, int[][] features, boolean[] gone, double remaining, BitSet scratch) {
        for (int i = 0; i < c.length; i++) {
            if (!gone[i] && c[i].costSecs() <= remaining) {
                for (int f : features[i]) {
                    scratch.set(f);
                }
            }
        }
        int n = scratch.cardinality();
        scratch.clear();
        return n;
    }

    /** Each candidate's features as indexes (in order of first appearance; only counts matter). */
    private static int[][] intern(Candidate[] c) {
        Map<String, Integer> index = new HashMap<>();
        int[][] out = new int[c.length][];
        for (int i = 0; i < c.length; i++) {
            out[i] = c[i].features().stream().distinct().mapToInt(f -> index.computeIfAbsent(f, k -> index.size()))
                    .toArray();
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

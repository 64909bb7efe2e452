package dev.ktstr.bench.budget;

import dev.ktstr.runtime.junit.BudgetSelector;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The textbook greedy max-coverage that {@link BudgetSelector} replaces: every step recomputes every
 * remaining candidate's gain. Same rules (gain per second, ties to the smaller id, rounds until the
 * budget is spent), so it picks the same subset, only slower; here for the side-by-side timing.
 */
final class PlainGreedy {

    private PlainGreedy() {}

    static int select(List<BudgetSelector.Candidate> input, double budget) {
        List<BudgetSelector.Candidate> c = new ArrayList<>(input);
        c.sort(Comparator.comparing(BudgetSelector.Candidate::id).thenComparing(BudgetSelector.Candidate::key));
        Map<String, Integer> index = new HashMap<>();
        int[][] features = new int[c.size()][];
        for (int i = 0; i < c.size(); i++) {
            features[i] = c.get(i).features().stream().distinct().mapToInt(f -> index.computeIfAbsent(f, k -> index.size()))
                    .toArray();
        }
        double total = c.stream().mapToDouble(BudgetSelector.Candidate::costSecs).sum();
        if (total <= budget) {
            return c.size();
        }
        boolean[] taken = new boolean[c.size()];
        double left = budget;
        int picked = 0;
        boolean progress = true;
        while (progress) {
            progress = false;
            BitSet covered = new BitSet();
            while (true) {
                int best = -1;
                double bestScore = 0;
                for (int i = 0; i < c.size(); i++) {
                    double cost = c.get(i).costSecs();
                    if (taken[i] || cost > left) {
                        continue;
                    }
                    int gain = 0;
                    for (int f : features[i]) {
                        if (!covered.get(f)) {
                            gain++;
                        }
                    }
                    double score = gain / cost;
                    if (gain > 0 && score > bestScore) {
                        best = i;
                        bestScore = score;
                    }
                }
                if (best < 0) {
                    break;
                }
                taken[best] = true;
                left -= c.get(best).costSecs();
                for (int f : features[best]) {
                    covered.set(f);
                }
                picked++;
                progress = true;
            }
        }
        return picked;
    }
}

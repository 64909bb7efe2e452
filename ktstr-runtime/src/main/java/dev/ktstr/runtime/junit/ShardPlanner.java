package dev.ktstr.runtime.junit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Splits variants into {@code n} disjoint shards of about equal estimated time: longest processing
 * time first (LPT), each variant in order of decreasing cost (ties by id, then key) going to the
 * shard with the least load so far (ties to the lower shard). Deterministic, so CI jobs that each run
 * one shard together run every variant exactly once; LPT keeps the longest shard within 4/3 of the
 * optimum.
 */
public final class ShardPlanner {

    private ShardPlanner() {}

    /** The shard (0-based) of every candidate's key. */
    public static Map<String, Integer> assign(List<BudgetSelector.Candidate> candidates, int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("shard count must be at least 1, got " + shards);
        }
        List<BudgetSelector.Candidate> order = new ArrayList<>(candidates);
        order.sort(Comparator.comparingDouble(BudgetSelector.Candidate::costSecs).reversed()
                .thenComparing(BudgetSelector.Candidate::id)
                .thenComparing(BudgetSelector.Candidate::key));
        // Each shard as {estimated seconds so far, shard index}: least loaded first, then lowest index.
        PriorityQueue<double[]> loads = new PriorityQueue<>(
                Comparator.<double[]>comparingDouble(l -> l[0]).thenComparingDouble(l -> l[1]));
        for (int i = 0; i < shards; i++) {
            loads.add(new double[] {0, i});
        }
        Map<String, Integer> out = new HashMap<>();
        for (BudgetSelector.Candidate c : order) {
            double[] least = loads.poll();
            out.put(c.key(), (int) least[1]);
            least[0] += c.costSecs();
            loads.add(least);
        }
        return out;
    }
}

package dev.ktstr.runtime.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShardPlannerTest {

    @Test
    void everyCandidateLandsInExactlyOneShard() {
        List<BudgetSelector.Candidate> in = Candidates.random(5, 1000, 40);
        for (int n = 1; n <= 7; n++) {
            Map<String, Integer> shards = ShardPlanner.assign(in, n);
            assertEquals(in.size(), shards.size());
            for (int s : shards.values()) {
                assertTrue(s >= 0 && s < n);
            }
        }
    }

    @Test
    void shardsAreBalancedByCost() {
        List<BudgetSelector.Candidate> in = Candidates.random(9, 1000, 40);
        int n = 3;
        Map<String, Integer> shards = ShardPlanner.assign(in, n);
        double[] load = new double[n];
        double max = 0;
        for (BudgetSelector.Candidate c : in) {
            load[shards.get(c.key())] += c.costSecs();
            max = Math.max(max, c.costSecs());
        }
        double lo = Math.min(load[0], Math.min(load[1], load[2]));
        double hi = Math.max(load[0], Math.max(load[1], load[2]));
        assertTrue(hi - lo <= max, "LPT keeps shards within one job of each other: " + java.util.Arrays.toString(load));
    }

    @Test
    void isIndependentOfInputOrder() {
        List<BudgetSelector.Candidate> in = Candidates.random(2, 500, 20);
        List<BudgetSelector.Candidate> reversed = new java.util.ArrayList<>(in);
        java.util.Collections.reverse(reversed);
        assertEquals(ShardPlanner.assign(in, 4), ShardPlanner.assign(reversed, 4));
    }

    @Test
    void rejectsZeroShards() {
        assertThrows(IllegalArgumentException.class, () -> ShardPlanner.assign(List.of(), 0));
    }
}

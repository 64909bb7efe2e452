package dev.ktstr.runtime.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BudgetSelectorTest {

    private static BudgetSelector.Candidate c(String key, double cost, String... features) {
        return new BudgetSelector.Candidate(key, "id/" + key, cost, List.of(features));
    }

    @Test
    void prefersCoveragePerSecond() {
        List<BudgetSelector.Candidate> in = List.of(
                c("a", 10, "x", "y", "z"), // 0.3 per second
                c("b", 2, "x", "y"), // 1.0 per second
                c("c", 2, "z")); // 0.5 per second
        BudgetSelector.Result r = BudgetSelector.select(in, 5);
        assertEquals(List.of("b", "c"), r.selected().stream().map(BudgetSelector.Candidate::key).toList());
        assertEquals(3, r.coveredFeatures());
        assertEquals(4.0, r.usedSecs(), 1e-9);
        assertEquals("ktstr budget: 2/3 tests, 4.0/5.0s used, 3/3 features covered", r.summary());
    }

    @Test
    void tiesGoToTheSmallerId() {
        List<BudgetSelector.Candidate> in = List.of(c("b", 2, "x"), c("a", 2, "x"));
        assertEquals("a", BudgetSelector.select(in, 3).selected().get(0).key());
    }

    @Test
    void leftoverBudgetStartsANewCoverageRoundAndEnoughBudgetRunsEverything() {
        List<BudgetSelector.Candidate> in = List.of(c("a", 2, "x"), c("b", 2, "x"), c("c", 2, "x"));
        assertEquals(2, BudgetSelector.select(in, 5).selected().size(), "round 1 takes a, round 2 takes b");
        assertEquals(3, BudgetSelector.select(in, 6).selected().size());
        assertEquals(3, BudgetSelector.select(in, 1000).selected().size());
    }

    @Test
    void neverExceedsTheBudget() {
        List<BudgetSelector.Candidate> in = Candidates.random(7, 2000, 50);
        for (double budget : new double[] {1, 5, 60, 600, 3600}) {
            BudgetSelector.Result r = BudgetSelector.select(in, budget);
            double sum = r.selected().stream().mapToDouble(BudgetSelector.Candidate::costSecs).sum();
            assertTrue(sum <= budget + 1e-9, budget + ": " + sum);
            assertEquals(sum, r.usedSecs(), 1e-6);
        }
    }

    @Test
    void isDeterministicAndIndependentOfInputOrder() {
        List<BudgetSelector.Candidate> in = Candidates.random(11, 3000, 80);
        List<BudgetSelector.Candidate> shuffled = new ArrayList<>(in);
        Collections.shuffle(shuffled, new java.util.Random(3));
        assertEquals(BudgetSelector.select(in, 300).selected(), BudgetSelector.select(shuffled, 300).selected());
    }

    @Test
    void lazyPickEqualsThePlainGreedy() {
        for (long seed = 1; seed <= 20; seed++) {
            List<BudgetSelector.Candidate> in = Candidates.random(seed, 400, 30);
            for (double budget : new double[] {20, 120, 500, 2000}) {
                assertEquals(plainGreedy(in, budget), BudgetSelector.select(in, budget).selected().stream()
                        .map(BudgetSelector.Candidate::key).toList(), "seed " + seed + " budget " + budget);
            }
        }
    }

    @Test
    void rejectsNonPositiveBudgets() {
        assertThrows(IllegalArgumentException.class, () -> BudgetSelector.select(List.of(), 0));
    }

    /** The textbook greedy, recomputing every candidate's gain at every step, with the same rounds. */
    private static List<String> plainGreedy(List<BudgetSelector.Candidate> in, double budget) {
        List<BudgetSelector.Candidate> pool = new ArrayList<>(in);
        pool.sort(Comparator.comparing(BudgetSelector.Candidate::id).thenComparing(BudgetSelector.Candidate::key));
        double total = pool.stream().mapToDouble(BudgetSelector.Candidate::costSecs).sum();
        if (total <= budget) {
            return pool.stream().map(BudgetSelector.Candidate::key).toList();
        }
        List<String> out = new ArrayList<>();
        double left = budget;
        boolean roundPicked = true;
        while (roundPicked) {
            roundPicked = false;
            Set<String> covered = new HashSet<>();
            while (true) {
                BudgetSelector.Candidate best = null;
                double bestScore = 0;
                for (BudgetSelector.Candidate x : pool) {
                    if (x.costSecs() > left) {
                        continue;
                    }
                    long gain = x.features().stream().distinct().filter(f -> !covered.contains(f)).count();
                    double score = gain / x.costSecs();
                    if (gain > 0 && score > bestScore) {
                        best = x;
                        bestScore = score;
                    }
                }
                if (best == null) {
                    break;
                }
                pool.remove(best);
                out.add(best.key());
                left -= best.costSecs();
                covered.addAll(best.features());
                roundPicked = true;
            }
        }
        return out;
    }
}

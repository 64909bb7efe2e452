package dev.ktstr.runtime.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.topology.Topology;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SelectionPlanTest {

    static VariantManifests manifests(int n) {
        List<ManifestEntry> out = new ArrayList<>();
        for (BudgetSelector.Candidate c : Candidates.random(42, n, 25)) {
            String[] key = c.key().split("#");
            out.add(new ManifestEntry(c.id(), "T", "t", key[0], key[1], false, "p", new Topology(1, 1, 2, 1), 2048,
                    "s", List.of(), 2, c.costSecs(), c.features()));
        }
        return VariantManifests.of(out);
    }

    private static SelectionSettings settings(Double budget, String shard) {
        return new SelectionSettings(budget == null ? OptionalDouble.empty() : OptionalDouble.of(budget),
                shard == null ? null : SelectionSettings.Shard.parse(shard));
    }

    @Test
    void withoutSettingsEverythingRuns() {
        SelectionPlan p = SelectionPlan.of(manifests(100), SelectionSettings.NONE);
        assertEquals(100, p.kept().size());
        assertEquals(List.of(), p.summary());
        assertTrue(p.runs("Unknown", "method"), "tests outside the manifests always run");
    }

    @Test
    void shardsOfABudgetArePartitionsOfIt() {
        VariantManifests m = manifests(600);
        Set<String> budget = SelectionPlan.of(m, settings(300.0, null)).kept();
        Set<String> union = new HashSet<>();
        int sum = 0;
        for (int i = 1; i <= 3; i++) {
            SelectionPlan p = SelectionPlan.of(m, settings(300.0, i + "/3"));
            assertEquals(p.kept(), SelectionPlan.of(m, settings(300.0, i + "/3")).kept(), "repeatable");
            sum += p.kept().size();
            union.addAll(p.kept());
            assertTrue(p.summary().get(1).startsWith("ktstr shard " + i + "/3: "), p.summary().toString());
        }
        assertEquals(budget.size(), sum, "disjoint");
        assertEquals(budget, union, "union is the budget's pick");
        assertTrue(budget.size() < 600);
    }

    @Test
    void shardsWithoutBudgetPartitionEverything() {
        VariantManifests m = manifests(200);
        Set<String> union = new HashSet<>();
        int sum = 0;
        for (int i = 1; i <= 4; i++) {
            Set<String> kept = SelectionPlan.of(m, settings(null, i + "/4")).kept();
            sum += kept.size();
            union.addAll(kept);
        }
        assertEquals(200, sum);
        assertEquals(200, union.size());
    }
}

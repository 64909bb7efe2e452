package dev.ktstr.runtime.junit;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which manifest variants this run keeps: the budget's pick (when a budget is set) over all variants,
 * then this shard's part of that (when a shard is set). Variants not in any manifest are no business
 * of the plan and always run.
 *
 * @param settings what was asked
 * @param known    every variant key in the manifests
 * @param kept     the keys that run
 * @param summary  the lines to print once (empty when nothing was asked)
 */
public record SelectionPlan(SelectionSettings settings, Set<String> known, Set<String> kept, List<String> summary) {

    public SelectionPlan {
        known = Set.copyOf(known);
        kept = Set.copyOf(kept);
        summary = List.copyOf(summary);
    }

    public static SelectionPlan of(VariantManifests manifests, SelectionSettings settings) {
        List<BudgetSelector.Candidate> all = manifests.entries().stream().map(BudgetSelector.Candidate::of).toList();
        Set<String> known = all.stream().map(BudgetSelector.Candidate::key).collect(Collectors.toSet());
        if (!settings.active() || all.isEmpty()) {
            return new SelectionPlan(settings, known, known, List.of());
        }
        List<BudgetSelector.Candidate> pool = all;
        List<String> summary = new ArrayList<>();
        if (settings.budgetSecs().isPresent()) {
            BudgetSelector.Result r = BudgetSelector.select(all, settings.budgetSecs().getAsDouble());
            pool = r.selected();
            summary.add(r.summary());
        }
        Set<String> kept = new HashSet<>();
        if (settings.shard() != null) {
            SelectionSettings.Shard s = settings.shard();
            Map<String, Integer> shards = ShardPlanner.assign(pool, s.count());
            double secs = 0;
            for (BudgetSelector.Candidate c : pool) {
                if (shards.get(c.key()) == s.index() - 1) {
                    kept.add(c.key());
                    secs += c.costSecs();
                }
            }
            summary.add(String.format(Locale.ROOT, "ktstr shard %s: %d/%d tests, %.1fs estimated",
                    s, kept.size(), pool.size(), secs));
        } else {
            pool.forEach(c -> kept.add(c.key()));
        }
        return new SelectionPlan(settings, known, kept, summary);
    }

    /** Whether the descriptor {@code className#methodName} runs. */
    public boolean runs(String className, String methodName) {
        String key = ManifestEntry.key(className, methodName);
        return !known.contains(key) || kept.contains(key);
    }
}

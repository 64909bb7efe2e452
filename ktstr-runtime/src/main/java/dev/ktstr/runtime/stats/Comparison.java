package dev.ktstr.runtime.stats;

import dev.ktstr.runtime.result.BadResultFile;
import java.util.List;
import java.util.Set;

/**
 * The full outcome of comparing a baseline result set (A) with a candidate (B): every cell with its
 * verdict, and every row, pair and file that was not compared, with the reason.
 *
 * @param policy          the policy applied
 * @param pairedBy        the dimensions runs were paired by
 * @param compared        dimensions left out of the key because they differ between the sides
 * @param counts          the counts of everything
 * @param cells           one per compared pair and metric, ordered by key then registry order
 * @param skipped         pairs not compared, with the reason
 * @param unpaired        keys on one side only
 * @param excludedRuns    runs not used as samples (failed, skipped, error)
 * @param badFilesA       unreadable files of A
 * @param badFilesB       unreadable files of B
 * @param unknownMetrics  metric names found in results but not in the registry (not compared)
 */
public record Comparison(
        ComparePolicy policy,
        List<Dimension> pairedBy,
        List<ComparedDimension> compared,
        Counts counts,
        List<Cell> cells,
        List<SkippedPair> skipped,
        List<UnpairedGroup> unpaired,
        List<ExcludedRun> excludedRuns,
        List<BadResultFile> badFilesA,
        List<BadResultFile> badFilesB,
        Set<String> unknownMetrics) {

    public Comparison {
        pairedBy = List.copyOf(pairedBy);
        compared = List.copyOf(compared);
        cells = List.copyOf(cells);
        skipped = List.copyOf(skipped);
        unpaired = List.copyOf(unpaired);
        excludedRuns = List.copyOf(excludedRuns);
        badFilesA = List.copyOf(badFilesA);
        badFilesB = List.copyOf(badFilesB);
        unknownMetrics = Set.copyOf(unknownMetrics);
    }

    /** Cells with verdict {@code v}, in order. */
    public List<Cell> cells(Verdict v) {
        return cells.stream().filter(c -> c.verdict() == v).toList();
    }

    /** The regressions. */
    public List<Cell> regressions() {
        return cells(Verdict.REGRESSION);
    }

    /** Whether any cell is a regression. */
    public boolean hasRegression() {
        return counts.count(Verdict.REGRESSION) > 0;
    }
}

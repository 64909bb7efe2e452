package dev.ktstr.runtime.stats;

import java.util.Map;

/**
 * What a comparison did with every row and cell, so nothing is dropped silently.
 *
 * @param rowsA           runs read on side A (after filters)
 * @param rowsB           runs read on side B (after filters)
 * @param excludedRunsA   runs of A reported but not used as samples (not passed)
 * @param excludedRunsB   runs of B reported but not used as samples (not passed)
 * @param pairsCompared   keys present on both sides with passed runs on both
 * @param pairsSkipped    keys present on both sides without passed runs on a side
 * @param unpairedA       keys only in A
 * @param unpairedB       keys only in B
 * @param badFilesA       unreadable result files of A
 * @param badFilesB       unreadable result files of B
 * @param cells           metric cells of the compared pairs
 * @param testedCells     cells with a significance test (≥ 2 runs per side)
 * @param gateOnlyCells   cells judged by the gates alone (a single run on a side)
 * @param verdicts        cells per verdict, every verdict present
 */
public record Counts(
        int rowsA,
        int rowsB,
        int excludedRunsA,
        int excludedRunsB,
        int pairsCompared,
        int pairsSkipped,
        int unpairedA,
        int unpairedB,
        int badFilesA,
        int badFilesB,
        int cells,
        int testedCells,
        int gateOnlyCells,
        Map<Verdict, Integer> verdicts) {

    public Counts {
        verdicts = Map.copyOf(verdicts);
    }

    /** Cells with verdict {@code v}. */
    public int count(Verdict v) {
        return verdicts.getOrDefault(v, 0);
    }
}

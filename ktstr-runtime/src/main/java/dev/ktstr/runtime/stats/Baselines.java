package dev.ktstr.runtime.stats;

import dev.ktstr.runtime.result.ResultFiles;
import dev.ktstr.runtime.result.ResultSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The plain Java API for "no regression against the stored baseline", for use in a test:
 *
 * <pre>{@code
 * Baselines.assertNoRegression(Path.of("baselines/7.3.4"), ResultFiles.defaultDirectory(kernel, commit),
 *         ComparePolicy.defaults());
 * }</pre>
 *
 * A comparison that compares nothing fails too: an assertion that cannot fail is no assertion.
 */
public final class Baselines {

    private Baselines() {}

    /** Reads both directories and compares them under {@code policy}. */
    public static Comparison compare(Path baselineDir, Path candidateDir, ComparePolicy policy) {
        ResultSet a = read(baselineDir, "baseline");
        ResultSet b = read(candidateDir, "candidate");
        return ResultComparator.compare(a, b, policy);
    }

    /**
     * Fails with an {@link AssertionError} listing the regressions (and everything not compared) when
     * the candidate regresses against the baseline, or when no pair could be compared at all.
     *
     * @return the comparison, for further checks
     */
    public static Comparison assertNoRegression(Path baselineDir, Path candidateDir, ComparePolicy policy) {
        Comparison c = compare(baselineDir, candidateDir, policy);
        if (c.counts().pairsCompared() == 0) {
            throw new AssertionError("[KtstrNothingCompared] no pair of baseline " + baselineDir + " and candidate "
                    + candidateDir + " could be compared\n" + ComparisonText.render(c, baselineDir.toString(),
                            candidateDir.toString(), false));
        }
        if (c.hasRegression()) {
            throw new AssertionError("[KtstrRegression] " + c.regressions().size() + " regression"
                    + (c.regressions().size() == 1 ? "" : "s") + " of " + candidateDir + " against " + baselineDir
                    + "\n" + ComparisonText.render(c, baselineDir.toString(), candidateDir.toString(), false));
        }
        return c;
    }

    private static ResultSet read(Path dir, String what) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("[KtstrNoResults] " + what + " directory does not exist: " + dir);
        }
        try {
            return ResultFiles.readDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("[KtstrNoResults] cannot read " + what + " directory " + dir, e);
        }
    }
}

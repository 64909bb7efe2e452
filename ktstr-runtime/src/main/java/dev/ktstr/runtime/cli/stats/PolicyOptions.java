package dev.ktstr.runtime.cli.stats;

import dev.ktstr.runtime.result.ResultFiles;
import dev.ktstr.runtime.stats.ComparePolicy;
import dev.ktstr.runtime.stats.Dimension;
import dev.ktstr.runtime.stats.StatTest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine.Option;

/** The options that shape a {@link ComparePolicy}, shared by {@code compare} and {@code report}. */
final class PolicyOptions {

    @Option(names = "--threshold", paramLabel = "PCT",
            description = "Relative gate in percent for every metric (overrides the registry's).")
    Double thresholdPct;

    @Option(names = "--policy", paramLabel = "FILE.json", description = "Policy file: per-metric gates and more.")
    Path policyFile;

    @Option(names = "--alpha", description = "Significance / false-discovery level (default 0.05).")
    Double alpha;

    @Option(names = "--stat-test", paramLabel = "TEST", description = "mann-whitney (default) or welch.")
    String test;

    @Option(names = "--no-fdr", description = "No Benjamini-Hochberg correction (per-cell alpha).")
    boolean noFdr;

    @Option(names = "--pair-by", split = ",", paramLabel = "DIM",
            description = "Pairing dimensions (default test,topology,scheduler,flags,work_type,kernel,engine).")
    String[] pairBy;

    @Option(names = "--keep-compared", description = "Do not drop dimensions that differ between the sides.")
    boolean keepCompared;

    ComparePolicy policy() throws IOException {
        ComparePolicy p = ComparePolicy.defaults();
        if (policyFile != null) {
            p = p.withPolicyFile(policyFile, ResultFiles.mapper());
        }
        if (thresholdPct != null) {
            p = p.withThresholdPercent(thresholdPct);
        }
        if (alpha != null) {
            p = p.withAlpha(alpha);
        }
        if (test != null) {
            p = p.withTest(StatTest.parse(test));
        }
        if (noFdr) {
            p = p.withFdr(false);
        }
        if (pairBy != null || keepCompared) {
            p = p.withPairBy(pairBy == null ? p.pairBy() : Arrays.stream(pairBy).map(Dimension::parse).toList(),
                    !keepCompared);
        }
        return p;
    }
}

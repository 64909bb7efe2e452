package dev.ktstr.runtime.cli.stats;

import dev.ktstr.runtime.stats.Dimension;
import dev.ktstr.runtime.stats.RunFilter;
import picocli.CommandLine.Option;

/**
 * Per-side run filters of {@code compare}: {@code --a-X} applies to the baseline, {@code --b-X} to the
 * candidate, the shared {@code --X} to both (a per-side value wins).
 */
final class FilterOptions {

    @Option(names = "--kernel", description = "Both sides: kernel release.") String kernel;
    @Option(names = "--a-kernel", description = "Baseline kernel release.") String aKernel;
    @Option(names = "--b-kernel", description = "Candidate kernel release.") String bKernel;

    @Option(names = "--scheduler", description = "Both sides: scheduler name.") String scheduler;
    @Option(names = "--a-scheduler", description = "Baseline scheduler.") String aScheduler;
    @Option(names = "--b-scheduler", description = "Candidate scheduler.") String bScheduler;

    @Option(names = "--flags", description = "Both sides: active flags (a,b or default).") String flags;
    @Option(names = "--a-flags", description = "Baseline flags.") String aFlags;
    @Option(names = "--b-flags", description = "Candidate flags.") String bFlags;

    @Option(names = "--topology", description = "Both sides: topology, e.g. 1n2l2c1t.") String topology;
    @Option(names = "--a-topology", description = "Baseline topology.") String aTopology;
    @Option(names = "--b-topology", description = "Candidate topology.") String bTopology;

    @Option(names = "--work-type", description = "Both sides: work-type override.") String workType;
    @Option(names = "--a-work-type", description = "Baseline work type.") String aWorkType;
    @Option(names = "--b-work-type", description = "Candidate work type.") String bWorkType;

    @Option(names = "--engine", description = "Both sides: VM engine.") String engine;
    @Option(names = "--a-engine", description = "Baseline engine.") String aEngine;
    @Option(names = "--b-engine", description = "Candidate engine.") String bEngine;

    @Option(names = "--project-commit", description = "Both sides: project commit.") String commit;
    @Option(names = "--a-project-commit", description = "Baseline project commit.") String aCommit;
    @Option(names = "--b-project-commit", description = "Candidate project commit.") String bCommit;

    @Option(names = {"-E", "--test-filter"}, description = "Both sides: test name contains.") String test;
    @Option(names = "--a-test-filter", description = "Baseline test name contains.") String aTest;
    @Option(names = "--b-test-filter", description = "Candidate test name contains.") String bTest;

    RunFilter a() {
        return side(aKernel, aScheduler, aFlags, aTopology, aWorkType, aEngine, aCommit, aTest);
    }

    RunFilter b() {
        return side(bKernel, bScheduler, bFlags, bTopology, bWorkType, bEngine, bCommit, bTest);
    }

    /** Whether a per-side filter was given (then both sides may come from the same pool of runs). */
    boolean hasPerSide() {
        for (String s : new String[] {aKernel, bKernel, aScheduler, bScheduler, aFlags, bFlags, aTopology, bTopology,
                aWorkType, bWorkType, aEngine, bEngine, aCommit, bCommit, aTest, bTest}) {
            if (s != null) {
                return true;
            }
        }
        return false;
    }

    private RunFilter side(String k, String s, String f, String t, String w, String e, String c, String x) {
        return RunFilter.none()
                .with(Dimension.KERNEL, or(k, kernel))
                .with(Dimension.SCHEDULER, or(s, scheduler))
                .with(Dimension.FLAGS, or(f, flags))
                .with(Dimension.TOPOLOGY, or(t, topology))
                .with(Dimension.WORK_TYPE, or(w, workType))
                .with(Dimension.ENGINE, or(e, engine))
                .with(Dimension.PROJECT_COMMIT, or(c, commit))
                .withTest(or(x, test));
    }

    private static String or(String side, String shared) {
        return side != null ? side : shared;
    }
}

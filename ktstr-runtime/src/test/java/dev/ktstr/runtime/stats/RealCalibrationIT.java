package dev.ktstr.runtime.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ktstr.annotations.Flag;
import dev.ktstr.annotations.KtstrTest;
import dev.ktstr.annotations.Scheduler;
import dev.ktstr.runtime.Ctx;
import dev.ktstr.runtime.Variant;
import dev.ktstr.runtime.result.Outcome;
import dev.ktstr.runtime.runner.RunnerSupport;
import dev.ktstr.runtime.runner.TestDeclaration;
import dev.ktstr.runtime.scenario.CgroupDef;
import dev.ktstr.runtime.scenario.HoldSpec;
import dev.ktstr.runtime.scenario.Step;
import dev.ktstr.runtime.scenario.canned.Scenarios;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The comparator on real VM results (issue "statistics", done-when): identical configurations run
 * twice ({@code -Dktstr.calibration.pairs} pairs, default 5, 3 runs per side) produce regressions in
 * at most 5 % of metric cells; a scheduler made worse on purpose (the fixture's unfair slices) is
 * reported as a regression of fairness.
 */
@Tag("vm")
class RealCalibrationIT {

    private static final int RUNS = 3;

    /** ktstr's own fixture scheduler: FIFO, or deliberately unfair slices. */
    @Scheduler(name = "ktstr_fixture", binary = "ktstr_fixture")
    enum Fixture {
        @Flag(args = "--unfair")
        UNFAIR
    }

    static class Subject {
        @KtstrTest(llcs = 1, cores = 2, durationS = 2)
        void steady(Ctx ctx) {
            ctx.run(Scenarios.steady());
        }

        /** Four spinners per CPU; the fairness limit is lifted so the unfair runs still pass and get compared. */
        @KtstrTest(scheduler = Fixture.class, llcs = 1, cores = 2, durationS = 3, maxSpreadPct = 100)
        void contended(Ctx ctx) {
            ctx.run(Step.withDefs(HoldSpec.FULL, CgroupDef.named("cg_0").workers(8)));
        }
    }

    @TempDir
    Path dir;

    private Path run(String name, Variant v) {
        Path out = dir.resolve(name);
        String before = System.getProperty("ktstr.repeat");
        System.setProperty("ktstr.repeat", Integer.toString(RUNS));
        System.setProperty("ktstr.results.dir", out.toString());
        try {
            List<RunnerSupport.Repetition> reps = RunnerSupport.execute(TestDeclaration.of(v), ctx -> {
                if (v.method().equals("steady")) {
                    new Subject().steady(ctx);
                } else {
                    new Subject().contended(ctx);
                }
            });
            assumeTrue(reps.get(0).outcome().status() != Outcome.Status.SKIPPED, () -> reps.get(0).describe());
            for (RunnerSupport.Repetition r : reps) {
                assertEquals(Outcome.Status.PASSED, r.outcome().status(), r::describe);
            }
            return out;
        } finally {
            System.clearProperty("ktstr.results.dir");
            if (before == null) {
                System.clearProperty("ktstr.repeat");
            } else {
                System.setProperty("ktstr.repeat", before);
            }
        }
    }

    @Test
    void identicalRunsAreNotRegressions() {
        int pairs = Integer.getInteger("ktstr.calibration.pairs", 5);
        int cells = 0;
        int regressions = 0;
        StringBuilder found = new StringBuilder();
        for (int p = 0; p < pairs; p++) {
            Path a = run("aa" + p + "-a", Variant.base(Subject.class, "steady"));
            Path b = run("aa" + p + "-b", Variant.base(Subject.class, "steady"));
            Comparison c = Baselines.compare(a, b, ComparePolicy.defaults());
            assertEquals(1, c.counts().pairsCompared(), "one pair per comparison");
            cells += c.cells().size();
            regressions += c.regressions().size();
            c.regressions().forEach(r -> found.append(r.metric()).append(' '));
        }
        System.err.printf("real A/A: %d pairs x %d runs per side: %d of %d metric cells called regressions%n", pairs,
                RUNS, regressions, cells);
        assertTrue(cells > 0);
        assertTrue(regressions <= 0.05 * cells, regressions + " of " + cells + " cells: " + found);
    }

    @Test
    void anUnfairSchedulerIsARegressionOfFairness() {
        Path fair = run("ab-fair", Variant.base(Subject.class, "contended"));
        Path unfair = run("ab-unfair", Variant.base(Subject.class, "contended", "unfair"));
        Comparison c = Baselines.compare(fair, unfair, ComparePolicy.defaults());
        List<String> regressed = c.regressions().stream().map(Cell::metric).toList();
        System.err.println("real A/B (fixture fair -> unfair): regressions " + regressed);
        assertTrue(regressed.contains("worst_spread"), () -> "expected worst_spread to regress: "
                + ComparisonText.render(c, "fair", "unfair", true));
    }
}

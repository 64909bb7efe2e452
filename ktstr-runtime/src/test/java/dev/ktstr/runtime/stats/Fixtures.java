package dev.ktstr.runtime.stats;

import dev.ktstr.runtime.result.Outcome;
import dev.ktstr.runtime.result.ResultFiles;
import dev.ktstr.runtime.result.RunResult;
import dev.ktstr.runtime.stats.synth.NoiseModel;
import dev.ktstr.runtime.stats.synth.SyntheticSuite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Builders of results and run directories for tests. */
public final class Fixtures {

    private Fixtures() {}

    /** A passed run of {@code test} with the given metrics. */
    public static RunResult run(String test, String kernel, int rep, Map<String, Double> metrics) {
        RunResult r = SyntheticSuite.run(0, kernel, rep, metrics, new Random(rep));
        return with(r, test, r.outcome(), metrics);
    }

    /** {@code r} as test {@code test} with another outcome and metrics. */
    public static RunResult with(RunResult r, String test, Outcome outcome, Map<String, Double> metrics) {
        return new RunResult(r.schemaVersion(), r.runId(), test, "ktstr/" + test, r.className(), r.preset(),
                r.topology(), r.scheduler(), r.schedulerBinary(), r.flags(), r.schedulerArgs(), r.schedulerActive(),
                r.workType(), r.kernel(), r.engine(), r.projectCommit(), r.repetition(), outcome, r.cgroups(),
                metrics, r.timeline(), r.monitor(), r.host(), r.startedAt(), r.durationMs());
    }

    /** {@code r} on another scheduler. */
    public static RunResult onScheduler(RunResult r, String scheduler) {
        return new RunResult(r.schemaVersion(), r.runId(), r.testName(), r.variant(), r.className(), r.preset(),
                r.topology(), scheduler, r.schedulerBinary(), r.flags(), r.schedulerArgs(), r.schedulerActive(),
                r.workType(), r.kernel(), r.engine(), r.projectCommit(), r.repetition(), r.outcome(), r.cgroups(),
                r.metrics(), r.timeline(), r.monitor(), r.host(), r.startedAt(), r.durationMs());
    }

    /** {@code r} failed with one named reason. */
    public static RunResult failed(RunResult r, String kind, String message) {
        return with(r, r.testName(), new Outcome(Outcome.Status.FAILED, List.of(new Outcome.Failure(kind, message))),
                r.metrics());
    }

    /** Writes every result into {@code dir}. */
    public static Path write(Path dir, List<RunResult> results) throws IOException {
        Files.createDirectories(dir);
        for (RunResult r : results) {
            ResultFiles.write(dir, r);
        }
        return dir;
    }

    /**
     * A baseline and a candidate directory for CLI and report tests: 6 synthetic tests × 8 runs; in
     * the candidate, tests 0 and 3 have p99 wake latency +30 %, test 1 has total iterations −15 %,
     * test 4 has median wake latency −25 % (an improvement); one candidate run failed and one
     * candidate file is truncated.
     */
    public static Path[] abPair(Path root) throws IOException {
        SyntheticSuite suite = new SyntheticSuite(NoiseModel.VM_TYPICAL, 7, 6);
        Random rng = new Random(11);
        List<RunResult> a = suite.side(rng, "7.3.4", 8, Map.of());
        List<RunResult> b = new ArrayList<>(suite.side(rng, "7.3.4", 8, t -> switch (t) {
            case 0, 3 -> Map.of("worst_p99_wake_latency_us", 1.3);
            case 1 -> Map.of("total_iterations", 0.85);
            case 4 -> Map.of("worst_median_wake_latency_us", 0.75);
            default -> new HashMap<>();
        }));
        b.set(5 * 8 + 2, failed(b.get(5 * 8 + 2), "Starved", "cg_0 worker 3 did no work in 3000 ms"));
        Path da = write(root.resolve("7.3.4-base"), a);
        Path db = write(root.resolve("7.3.4-cand"), b);
        Files.writeString(db.resolve("broken-0000000000000000-r0.ktstr.json"), "{\"schema_version\": 1, \"test_na");
        return new Path[] {da, db};
    }
}

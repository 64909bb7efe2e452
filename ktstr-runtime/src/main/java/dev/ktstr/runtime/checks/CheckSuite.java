package dev.ktstr.runtime.checks;

import dev.ktstr.runtime.result.Outcome.Failure;
import dev.ktstr.topology.Topology;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every worker check that the merged {@link Thresholds} enable over a scenario's samples, in a
 * fixed order per cgroup: dead workers, starvation, spread, gaps, isolation, then the benchmark and
 * NUMA limits. Worker deaths are always checked.
 */
public final class CheckSuite {

    private CheckSuite() {}

    /** The failures of all samples (empty = pass). */
    public static List<Failure> run(List<CgroupSample> samples, Thresholds t, Topology topology) {
        List<Failure> out = new ArrayList<>();
        for (CgroupSample s : samples) {
            out.addAll(run(s, t, topology));
        }
        return out;
    }

    /** The failures of one sample. */
    public static List<Failure> run(CgroupSample s, Thresholds t, Topology topology) {
        List<Failure> out = new ArrayList<>(WorkerChecks.workerDied(s));
        if (t.checksStarvation()) {
            out.addAll(WorkerChecks.starved(s));
        }
        if (t.maxSpreadPct() != null) {
            out.addAll(WorkerChecks.unfair(s, t.maxSpreadPct()));
        }
        if (t.maxGapMs() != null) {
            out.addAll(WorkerChecks.stuck(s, t.maxGapMs()));
        }
        if (t.checksIsolation()) {
            out.addAll(WorkerChecks.isolation(s));
        }
        if (t.maxThroughputCv() != null) {
            out.addAll(WorkerChecks.throughputParity(s, t.maxThroughputCv()));
        }
        if (t.minWorkRate() != null) {
            out.addAll(WorkerChecks.minWorkRate(s, t.minWorkRate()));
        }
        if (t.maxP99WakeLatencyNs() != null) {
            out.addAll(WorkerChecks.wakeLatencyP99(s, t.maxP99WakeLatencyNs()));
        }
        if (t.maxWakeLatencyCv() != null) {
            out.addAll(WorkerChecks.wakeLatencyCv(s, t.maxWakeLatencyCv()));
        }
        if (t.minIterationRate() != null) {
            out.addAll(WorkerChecks.iterationRate(s, t.minIterationRate()));
        }
        if (t.maxMigrationRatio() != null) {
            out.addAll(WorkerChecks.migrationRatio(s, t.maxMigrationRatio()));
        }
        if (t.minPageLocality() != null) {
            out.addAll(WorkerChecks.pageLocality(s, t.minPageLocality(), topology));
        }
        if (t.maxCrossNodeMigrationRatio() != null) {
            out.addAll(WorkerChecks.crossNodeMigration(s, t.maxCrossNodeMigrationRatio()));
        }
        if (t.maxSlowTierRatio() != null) {
            out.addAll(WorkerChecks.slowTier(s, t.maxSlowTierRatio(), topology));
        }
        return out;
    }
}

package dev.ktstr.runtime.checks;

import dev.ktstr.annotations.ExpectedFailure;
import dev.ktstr.runtime.result.Outcome;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every named way a run can fail, with its stable id (the {@link Outcome.Failure#kind()} string),
 * the {@link ExpectedFailure} that expects it, and whether it is a test failure or a harness error.
 * Ids of failures other components raise (scheduler, monitor, VM) are listed here too, so
 * {@code expectErr} matches them the same way.
 */
public enum FailureKind {
    STARVED("Starved", ExpectedFailure.STARVED),
    UNFAIR("Unfair", ExpectedFailure.UNFAIR),
    STUCK("Stuck", ExpectedFailure.STUCK),
    ISOLATION("Isolation", ExpectedFailure.ISOLATION),
    THROUGHPUT_PARITY("ThroughputParity", ExpectedFailure.THRESHOLD),
    WORK_RATE("WorkRate", ExpectedFailure.THRESHOLD),
    WAKE_LATENCY("WakeLatency", ExpectedFailure.THRESHOLD),
    WAKE_LATENCY_CV("WakeLatencyCv", ExpectedFailure.THRESHOLD),
    ITERATION_RATE("IterationRate", ExpectedFailure.THRESHOLD),
    MIGRATION_RATIO("MigrationRatio", ExpectedFailure.THRESHOLD),
    PAGE_LOCALITY("PageLocality", ExpectedFailure.THRESHOLD),
    CROSS_NODE_MIGRATION("CrossNodeMigration", ExpectedFailure.THRESHOLD),
    SLOW_TIER("SlowTier", ExpectedFailure.THRESHOLD),
    /** A worker died or did not report; no single expectation names it (only ANY). */
    WORKER_DIED("WorkerDied", ExpectedFailure.ANY),
    /** A payload the scenario waited for exited non-zero, by a signal, or not in time. */
    PAYLOAD_FAILED("PayloadFailed", ExpectedFailure.ANY),
    SCHEDULER_ATTACH_FAILED("SchedulerAttachFailed", ExpectedFailure.SCHEDULER_ATTACH_FAILED),
    SCHEDULER_EXITED("SchedulerExited", ExpectedFailure.SCHEDULER_EXITED),
    SCHEDULER_EJECTED("SchedulerEjected", ExpectedFailure.SCHEDULER_EJECTED),
    IMBALANCE("Imbalance", ExpectedFailure.MONITOR),
    DSQ_DEPTH("DsqDepth", ExpectedFailure.MONITOR),
    STALL("Stall", ExpectedFailure.MONITOR),
    FALLBACK_RATE("FallbackRate", ExpectedFailure.MONITOR),
    KEEP_LAST_RATE("KeepLastRate", ExpectedFailure.MONITOR),
    GUEST_CRASH("GuestCrash", ExpectedFailure.GUEST_CRASH),
    TIMEOUT("Timeout", ExpectedFailure.TIMEOUT),
    /** The agent failed a request or died (harness error). */
    AGENT_FAILED("AgentFailed", null),
    /** The scenario was invalid for the topology (harness error). */
    INVALID_SCENARIO("InvalidScenario", null),
    /** Teardown could not remove what the scenario created (harness error). */
    CLEANUP_FAILED("CleanupFailed", null);

    private final String id;
    private final ExpectedFailure expectedAs;

    FailureKind(String id, ExpectedFailure expectedAs) {
        this.id = id;
        this.expectedAs = expectedAs;
    }

    /** The stable id, e.g. {@code Stuck}. */
    public String id() {
        return id;
    }

    /** The expectation naming this kind ({@link ExpectedFailure#ANY} when none does; {@code null} for harness errors). */
    public ExpectedFailure expectedAs() {
        return expectedAs;
    }

    /** Harness errors make the outcome {@code ERROR}, not {@code FAILED}, and no expectation matches them. */
    public boolean harnessError() {
        return expectedAs == null;
    }

    /** A failure of this kind. */
    public Outcome.Failure failure(String message) {
        return new Outcome.Failure(id, message);
    }

    public static Optional<FailureKind> fromId(String id) {
        return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst();
    }

    /** Whether a failure of this (possibly unknown) id is a harness error. */
    public static boolean isHarnessError(String id) {
        return fromId(id).map(FailureKind::harnessError).orElse(false);
    }

    /** Whether {@code failure} is what {@code expected} asks for. Unknown ids match only ANY. */
    public static boolean matches(ExpectedFailure expected, Outcome.Failure failure) {
        if (expected == ExpectedFailure.NONE || isHarnessError(failure.kind())) {
            return false;
        }
        if (expected == ExpectedFailure.ANY) {
            return true;
        }
        return fromId(failure.kind()).map(k -> k.expectedAs == expected).orElse(false);
    }

    /**
     * Whether a run with these failures meets the expectation: {@code NONE} needs no failure at all;
     * otherwise at least one failure must match and none may be a harness error.
     */
    public static boolean expectationMet(ExpectedFailure expected, List<Outcome.Failure> failures) {
        if (expected == ExpectedFailure.NONE) {
            return failures.isEmpty();
        }
        return failures.stream().noneMatch(f -> isHarnessError(f.kind()))
                && failures.stream().anyMatch(f -> matches(expected, f));
    }
}

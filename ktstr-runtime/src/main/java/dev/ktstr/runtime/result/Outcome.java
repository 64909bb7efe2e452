package dev.ktstr.runtime.result;

import java.util.List;

/**
 * How a run ended.
 *
 * @param status    {@link Status}
 * @param failures  named reasons (empty when passed); a skip carries its reason here too
 */
public record Outcome(Status status, List<Failure> failures) {

    public enum Status {
        PASSED,
        FAILED,
        SKIPPED,
        /** The harness itself could not run the test (bad input, engine failure). */
        ERROR
    }

    /**
     * One named reason.
     *
     * @param kind     stable id, e.g. {@code Starved}, {@code Unfair}, {@code Stuck}, {@code SchedulerEjected}
     * @param message  one line for humans, naming the check, the cgroup/worker, the numbers and the limit
     */
    public record Failure(String kind, String message) {}

    public static Outcome passed() {
        return new Outcome(Status.PASSED, List.of());
    }
}

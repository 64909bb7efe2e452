package dev.ktstr.runtime.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.annotations.ExpectedFailure;
import dev.ktstr.runtime.result.Outcome.Failure;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailureKindTest {

    private static Failure f(String kind) {
        return new Failure(kind, kind + ": x");
    }

    @Test
    void eachExpectationMatchesItsKinds() {
        assertTrue(FailureKind.matches(ExpectedFailure.STUCK, f("Stuck")));
        assertFalse(FailureKind.matches(ExpectedFailure.STUCK, f("Unfair")));
        assertTrue(FailureKind.matches(ExpectedFailure.THRESHOLD, f("WakeLatency")));
        assertTrue(FailureKind.matches(ExpectedFailure.THRESHOLD, f("PageLocality")));
        assertTrue(FailureKind.matches(ExpectedFailure.MONITOR, f("Imbalance")));
        assertTrue(FailureKind.matches(ExpectedFailure.SCHEDULER_EJECTED, f("SchedulerEjected")));
        assertTrue(FailureKind.matches(ExpectedFailure.ANY, f("WorkerDied")));
        assertTrue(FailureKind.matches(ExpectedFailure.ANY, f("SomethingNew")), "unknown kinds match ANY");
        assertFalse(FailureKind.matches(ExpectedFailure.ANY, f("AgentFailed")), "harness errors match nothing");
        assertFalse(FailureKind.matches(ExpectedFailure.NONE, f("Stuck")));
    }

    @Test
    void expectationsAreMetOnlyByTheRightFailuresWithoutHarnessErrors() {
        assertTrue(FailureKind.expectationMet(ExpectedFailure.NONE, List.of()));
        assertFalse(FailureKind.expectationMet(ExpectedFailure.NONE, List.of(f("Stuck"))));
        assertTrue(FailureKind.expectationMet(ExpectedFailure.STUCK, List.of(f("Unfair"), f("Stuck"))));
        assertFalse(FailureKind.expectationMet(ExpectedFailure.STUCK, List.of()));
        assertFalse(FailureKind.expectationMet(ExpectedFailure.STUCK, List.of(f("Stuck"), f("AgentFailed"))));
    }

    @Test
    void everyExpectationButNoneAndAnyIsReachable() {
        var reachable = new HashSet<ExpectedFailure>();
        Arrays.stream(FailureKind.values()).map(FailureKind::expectedAs).forEach(reachable::add);
        for (ExpectedFailure e : ExpectedFailure.values()) {
            if (e != ExpectedFailure.NONE) {
                assertTrue(reachable.contains(e), e + " has no failure kind");
            }
        }
        assertEquals(FailureKind.values().length,
                Arrays.stream(FailureKind.values()).map(FailureKind::id).distinct().count(), "ids are unique");
    }
}

package dev.ktstr.runtime;

import dev.ktstr.annotations.ExpectedFailure;
import dev.ktstr.runtime.checks.FailureKind;
import dev.ktstr.runtime.result.Outcome;
import dev.ktstr.runtime.runner.RunnerSupport;
import dev.ktstr.runtime.runner.TestDeclaration;
import java.util.ArrayList;
import java.util.List;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The entry point every generated test method calls: boots the variant's VM, loads its scheduler,
 * runs the body, checks, records the result, and turns the outcome into a JUnit pass, failure or
 * skip. {@code -Dktstr.repeat=N} runs the variant N times (every repetition is recorded; all must
 * pass). A host that cannot run the variant (no VM engine, no kernel) skips it with the reason.
 */
public final class KtstrRunner {

    private KtstrRunner() {}

    public static void run(Variant variant, TestBody body) throws Exception {
        TestDeclaration d = TestDeclaration.of(variant);
        List<RunnerSupport.Repetition> reps = RunnerSupport.execute(d, body);
        judge(d, reps);
    }

    static void judge(TestDeclaration d, List<RunnerSupport.Repetition> reps) throws Exception {
        ExpectedFailure expected = d.expected();
        List<String> problems = new ArrayList<>();
        int skipped = 0;
        for (RunnerSupport.Repetition r : reps) {
            Outcome o = r.outcome();
            if (o.status() == Outcome.Status.SKIPPED) {
                skipped++;
                continue;
            }
            if (expected == ExpectedFailure.NONE) {
                if (r.thrown() != null && o.failures().stream().allMatch(f -> f.kind().equals("TestBodyThrew"))) {
                    throw asException(r.thrown());
                }
                if (o.status() != Outcome.Status.PASSED) {
                    problems.add(r.describe());
                }
            } else if (!FailureKind.expectationMet(expected, withoutBody(o.failures()))) {
                problems.add("expected failure " + expected + " did not happen (outcome " + o.status() + ")\n"
                        + r.describe());
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionFailedError(header(d) + " failed:\n" + String.join("\n", problems));
        }
        if (skipped == reps.size()) {
            throw new TestAbortedException(header(d) + " skipped: " + reps.get(0).outcome().failures().stream()
                    .map(Outcome.Failure::message).reduce((a, b) -> a + "; " + b).orElse("no reason given"));
        }
    }

    private static List<Outcome.Failure> withoutBody(List<Outcome.Failure> f) {
        return f.stream().filter(x -> !x.kind().equals("TestBodyThrew")).toList();
    }

    private static Exception asException(Throwable t) {
        if (t instanceof Exception e) {
            return e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new RuntimeException(t);
    }

    /** {@code ktstr_test 'NAME' [scheduler] [topo=1n2l2c1t] [flags]}, as failure messages start. */
    static String header(TestDeclaration d) {
        return "ktstr_test '" + d.name() + "' [" + d.scheduler().name() + "] [topo=" + d.topology().render() + "]"
                + (d.variant().flags().isEmpty() ? "" : " [" + d.variant().profile() + "]")
                + (d.variant().isGauntlet() ? " [" + d.variant().id() + "]" : "");
    }
}

package dev.ktstr.runtime.sched;

import dev.ktstr.annotations.ExpectedFailure;
import dev.ktstr.runtime.result.Outcome;
import java.util.List;

/**
 * How a scheduler under test failed, as a named result with its evidence (ARCHITECTURE.md, "Failure
 * is a first-class result"). Each kind maps to the {@link ExpectedFailure} a test can declare and to
 * the stable {@link Outcome.Failure#kind()} id of the result file.
 */
public sealed interface SchedulerFailure {

    /** Stable id in result files, e.g. {@code SchedulerEjected}. */
    String kind();

    /** The {@code expectErr} value that this failure satisfies. */
    ExpectedFailure expected();

    /** One line: what failed and why. */
    String summary();

    /** The evidence: scheduler output (cycle-collapsed), kernel lines, debug dump. */
    String evidence();

    /** This failure as a result-file entry. */
    default Outcome.Failure toOutcome() {
        return new Outcome.Failure(kind(), summary());
    }

    /**
     * The scheduler never reached {@code enabled} with its ops name: it exited while loading (verifier
     * rejection, bad option), or the attach timed out, or another scheduler's ops appeared.
     *
     * @param reason  e.g. {@code exited with code 1 before attaching}
     * @param output  the loader's output with its verifier log cycle-collapsed
     * @param verifierLog the libbpf "PROG LOAD LOG" sections, cycle-collapsed ("" when none)
     */
    record AttachFailed(String reason, String output, String verifierLog) implements SchedulerFailure {
        @Override
        public String kind() {
            return "SchedulerAttachFailed";
        }

        @Override
        public ExpectedFailure expected() {
            return ExpectedFailure.SCHEDULER_ATTACH_FAILED;
        }

        @Override
        public String summary() {
            return "failed to attach: " + reason;
        }

        @Override
        public String evidence() {
            return section("verifier log (cycle-collapsed)", verifierLog) + section("scheduler output", output);
        }
    }

    /**
     * The scheduler process exited during the run without the kernel reporting an error (it
     * unregistered itself, e.g. with {@code scx_bpf_exit()}, or crashed).
     *
     * @param exitCode   its exit status
     * @param termSignal the signal that killed it, or 0
     * @param exit       what sched_ext reported, when anything ({@code unregistered from BPF: …})
     * @param stillRunning the process had not exited yet: the scheduler unregistered and its loader
     *                   kept running (exitCode is then -1)
     * @param output     the tail of its output
     */
    record Exited(int exitCode, int termSignal, java.util.Optional<ScxExit> exit, boolean stillRunning,
            String output) implements SchedulerFailure {
        @Override
        public String kind() {
            return "SchedulerExited";
        }

        @Override
        public ExpectedFailure expected() {
            return ExpectedFailure.SCHEDULER_EXITED;
        }

        @Override
        public String summary() {
            if (stillRunning) {
                return "exited: sched_ext unregistered it" + exit.map(e -> " (" + e.describe() + ")").orElse("")
                        + " while its process kept running";
            }
            String how = termSignal != 0 ? "killed by signal " + termSignal : "exit code " + exitCode;
            return "exited (" + how + ")" + exit.map(e -> ": " + e.describe()).orElse("");
        }

        @Override
        public String evidence() {
            return section("scheduler output", output);
        }
    }

    /**
     * sched_ext disabled the scheduler with an error: a runnable-task stall caught by the watchdog,
     * {@code scx_bpf_error()}, or a runtime error.
     *
     * @param exit        the kernel's reason and message
     * @param kernelLines the sched_ext kernel messages seen during the run
     * @param dump        the debug dump the loader printed ("" when none)
     * @param output      the tail of the scheduler's output
     */
    record Ejected(ScxExit exit, List<String> kernelLines, String dump, String output) implements SchedulerFailure {
        public Ejected {
            kernelLines = List.copyOf(kernelLines);
        }

        @Override
        public String kind() {
            return "SchedulerEjected";
        }

        @Override
        public ExpectedFailure expected() {
            return ExpectedFailure.SCHEDULER_EJECTED;
        }

        @Override
        public String summary() {
            return "ejected by the kernel: " + exit.describe();
        }

        @Override
        public String evidence() {
            return section("sched_ext kernel messages", String.join("\n", kernelLines)) + section("sched_ext debug dump",
                    dump) + section("scheduler output", output);
        }
    }

    /**
     * Stopping the scheduler did not return sched_ext to {@code disabled}: the next test would run
     * under a stale scheduler.
     *
     * @param state  what {@code /sys/kernel/sched_ext/state} said
     * @param output the scheduler's output
     */
    record DetachFailed(String state, String output) implements SchedulerFailure {
        @Override
        public String kind() {
            return "SchedulerDetachFailed";
        }

        @Override
        public ExpectedFailure expected() {
            return ExpectedFailure.ANY;
        }

        @Override
        public String summary() {
            return "did not detach: sched_ext state is '" + state + "' after the scheduler was stopped";
        }

        @Override
        public String evidence() {
            return section("scheduler output", output);
        }
    }

    private static String section(String title, String body) {
        return body == null || body.isBlank() ? "" : "--- " + title + " ---\n" + body.strip() + "\n";
    }
}

package dev.ktstr.runtime.stats;

import dev.ktstr.runtime.result.RunResult;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A property of a run by which results are paired and filtered. Two runs are samples of the same
 * experiment when they agree on every pairing dimension.
 */
public enum Dimension {
    /** The test: {@code Class#method} (or the catalog scenario name for CLI runs). */
    TEST("test", r -> r.className() == null ? r.testName() : r.className() + "#" + r.testName()),
    /** Rendered topology, e.g. {@code 1n2l2c1t}. */
    TOPOLOGY("topology", RunResult::topology),
    /** Scheduler name ({@code eevdf} for the kernel default). */
    SCHEDULER("scheduler", RunResult::scheduler),
    /** Active flags, sorted and joined by {@code +}; {@code default} when none. */
    FLAGS("flags", r -> flagsKey(r.flags())),
    /** Work-type override; {@code -} when none. */
    WORK_TYPE("work_type", RunResult::workType),
    /** Guest kernel release. */
    KERNEL("kernel", RunResult::kernel),
    /** VM engine ({@code kvm}, {@code qemu-kvm}, {@code qemu-tcg}, {@code host}). */
    ENGINE("engine", RunResult::engine),
    /** Commit of the project under test. */
    PROJECT_COMMIT("project_commit", RunResult::projectCommit);

    /** What results are paired by unless told otherwise. */
    public static final List<Dimension> DEFAULT_PAIRING =
            List.of(TEST, TOPOLOGY, SCHEDULER, FLAGS, WORK_TYPE, KERNEL, ENGINE);

    private final String label;
    private final Function<RunResult, String> extractor;

    Dimension(String label, Function<RunResult, String> extractor) {
        this.label = label;
        this.extractor = extractor;
    }

    /** Lower-case name used on the command line, in JSON and in tables. */
    public String label() {
        return label;
    }

    /** This dimension's value for {@code r}; {@code -} when the run has none. */
    public String valueOf(RunResult r) {
        String v = extractor.apply(r);
        return v == null || v.isEmpty() ? "-" : v;
    }

    /** Parses a label ({@code work_type}, {@code work-type} and {@code WORK_TYPE} all work). */
    public static Dimension parse(String s) {
        String norm = s.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (Dimension d : values()) {
            if (d.label.equals(norm)) {
                return d;
            }
        }
        throw new IllegalArgumentException("[KtstrUnknownDimension] '" + s + "'; known: "
                + Arrays.stream(values()).map(Dimension::label).toList());
    }

    /** The canonical form of a flag set: sorted, {@code +}-joined, {@code default} when empty. */
    public static String flagsKey(List<String> flags) {
        if (flags == null || flags.isEmpty()) {
            return "default";
        }
        return flags.stream().sorted().reduce((x, y) -> x + "+" + y).orElseThrow();
    }
}

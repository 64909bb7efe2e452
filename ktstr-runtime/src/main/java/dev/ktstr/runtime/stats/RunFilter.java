package dev.ktstr.runtime.stats;

import dev.ktstr.runtime.result.RunResult;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Which runs one side of a comparison takes: exact values of some dimensions, and optionally a
 * substring of the test or variant name. An empty filter takes every run.
 *
 * @param equals         dimension → required value (flags in any order, {@code ,} or {@code +}
 *                       separated; {@code default} for none)
 * @param testSubstring  required substring of {@code Class#method} or the variant id; {@code null} for any
 */
public record RunFilter(Map<Dimension, String> equals, String testSubstring) {

    public RunFilter {
        EnumMap<Dimension, String> m = new EnumMap<>(Dimension.class);
        equals.forEach((d, v) -> m.put(d, d == Dimension.FLAGS ? canonicalFlags(v) : v));
        equals = Map.copyOf(m);
    }

    /** Takes everything. */
    public static RunFilter none() {
        return new RunFilter(Map.of(), null);
    }

    /** This filter also requiring {@code d = value}; a {@code null} value leaves it unchanged. */
    public RunFilter with(Dimension d, String value) {
        if (value == null) {
            return this;
        }
        EnumMap<Dimension, String> m = new EnumMap<>(Dimension.class);
        m.putAll(equals);
        m.put(d, value);
        return new RunFilter(m, testSubstring);
    }

    /** This filter also requiring the test substring (a {@code null} leaves it unchanged). */
    public RunFilter withTest(String substring) {
        return substring == null ? this : new RunFilter(equals, substring);
    }

    /** Whether {@code r} passes. */
    public boolean matches(RunResult r) {
        for (Map.Entry<Dimension, String> e : equals.entrySet()) {
            if (!e.getKey().valueOf(r).equals(e.getValue())) {
                return false;
            }
        }
        if (testSubstring != null) {
            String t = Dimension.TEST.valueOf(r);
            String v = r.variant() == null ? "" : r.variant();
            return t.contains(testSubstring) || v.contains(testSubstring);
        }
        return true;
    }

    /** The runs of {@code rows} that pass. */
    public List<RunResult> apply(List<RunResult> rows) {
        return rows.stream().filter(this::matches).toList();
    }

    /** Whether this filter takes everything. */
    public boolean isEmpty() {
        return equals.isEmpty() && testSubstring == null;
    }

    /** {@code kernel=7.3.4 scheduler=scx_simple test~fair}, or {@code (none)}. */
    public String describe() {
        if (isEmpty()) {
            return "(none)";
        }
        StringJoiner j = new StringJoiner(" ");
        equals.forEach((d, v) -> j.add(d.label() + "=" + v));
        if (testSubstring != null) {
            j.add("test~" + testSubstring);
        }
        return j.toString();
    }

    private static String canonicalFlags(String v) {
        if (v.isBlank() || v.equals("default")) {
            return "default";
        }
        return Dimension.flagsKey(Arrays.stream(v.split("[,+]")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }
}

package dev.ktstr.runtime.sched;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Folds repeated blocks of lines in a log (ktstr facts §12, "Verifier"): a BPF verifier log walks a
 * bounded loop once per iteration, printing the same instructions with different register values,
 * and a failing load can print thousands of such iterations. A run of {@code k >= 3} consecutive
 * repetitions of a block becomes the first iteration, one line
 * {@code "... N identical iterations omitted ..."} and the last iteration, so the reader sees where
 * the loop starts, how often it ran and the state it ended in.
 *
 * <p>Two lines count as the same when they are equal after dropping the verifier's register-state
 * annotations: the {@code "; R1_w=3 R2=fp-8"} tail of an instruction line, the state after
 * {@code "from 12 to 5:"}, and lines that are nothing but state ({@code "5: R0=... R1=..."}). Lines
 * that are not verifier output are compared as they are, so the fold works on any output.
 */
public final class CycleCollapse {

    /** Longest block (in lines) looked for; loop bodies in verifier logs are far shorter. */
    public static final int MAX_PERIOD = 400;
    /** Fewest consecutive repetitions that are folded (first + marker + last must save a line). */
    public static final int MIN_REPEATS = 3;

    private static final Pattern INSN_STATE = Pattern.compile("^(\\d+: \\([0-9a-f]{2}\\) .*?)\\s+; .*$");
    private static final Pattern FROM_TO = Pattern.compile("^(from \\d+ to \\d+:).*$");
    private static final Pattern STATE_ONLY = Pattern.compile("^\\d+: (R\\d+|frame\\d+:).*$");

    private CycleCollapse() {}

    /**
     * The folded log and what was folded.
     *
     * @param lines       the output lines
     * @param foldedRuns  how many runs of repetitions were folded
     * @param omittedLines how many input lines the markers stand for
     */
    public record Result(List<String> lines, int foldedRuns, int omittedLines) {

        public Result {
            lines = List.copyOf(lines);
        }

        public String text() {
            return String.join("\n", lines);
        }
    }

    /** {@link #collapse(List)} of {@code text} split into lines. */
    public static Result collapse(String text) {
        return collapse(text.isEmpty() ? List.of() : List.of(text.split("\n", -1)));
    }

    /** Folds every run of {@link #MIN_REPEATS} or more consecutive repetitions of a block. */
    public static Result collapse(List<String> lines) {
        int n = lines.size();
        int[] key = keys(lines);
        List<String> out = new ArrayList<>();
        int runs = 0;
        int omitted = 0;
        int i = 0;
        while (i < n) {
            int bestPeriod = 0;
            int bestRepeats = 0;
            int maxPeriod = Math.min(MAX_PERIOD, (n - i) / MIN_REPEATS);
            for (int p = 1; p <= maxPeriod; p++) {
                if (key[i] != key[i + p]) {
                    continue;
                }
                int run = matchRun(key, i, p);
                int repeats = 1 + run / p;
                if (repeats >= MIN_REPEATS && (long) repeats * p > (long) bestRepeats * bestPeriod) {
                    bestPeriod = p;
                    bestRepeats = repeats;
                }
            }
            if (bestPeriod == 0) {
                out.add(lines.get(i));
                i++;
                continue;
            }
            int middle = bestRepeats - 2;
            out.addAll(lines.subList(i, i + bestPeriod));
            out.add("... " + middle + " identical iteration" + (middle == 1 ? "" : "s") + " omitted ("
                    + (middle * bestPeriod) + " lines) ...");
            int last = i + (bestRepeats - 1) * bestPeriod;
            out.addAll(lines.subList(last, last + bestPeriod));
            runs++;
            omitted += middle * bestPeriod;
            i += bestRepeats * bestPeriod;
        }
        return new Result(out, runs, omitted);
    }

    /** How many positions from {@code start} on match the line {@code period} further on. */
    private static int matchRun(int[] key, int start, int period) {
        int j = start;
        while (j + period < key.length && key[j] == key[j + period]) {
            j++;
        }
        return j - start;
    }

    /** Each line's comparison key as a small integer (equal keys = equal normalised lines). */
    private static int[] keys(List<String> lines) {
        Map<String, Integer> ids = new HashMap<>();
        int[] key = new int[lines.size()];
        for (int i = 0; i < key.length; i++) {
            key[i] = ids.computeIfAbsent(normalise(lines.get(i)), s -> ids.size());
        }
        return key;
    }

    /** The line without the verifier's register-state annotations. */
    static String normalise(String line) {
        String s = line.strip();
        var m = INSN_STATE.matcher(s);
        if (m.matches()) {
            return m.group(1);
        }
        m = FROM_TO.matcher(s);
        if (m.matches()) {
            return m.group(1);
        }
        if (STATE_ONLY.matcher(s).matches()) {
            return s.substring(0, s.indexOf(':') + 1) + " <state>";
        }
        return s;
    }
}

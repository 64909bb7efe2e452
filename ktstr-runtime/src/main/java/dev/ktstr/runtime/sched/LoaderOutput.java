package dev.ktstr.runtime.sched;

import java.util.ArrayList;
import java.util.List;

/**
 * What a scheduler loader printed, prepared for a failure report: libbpf's verifier logs (the lines
 * between {@code -- BEGIN PROG LOAD LOG --} and {@code -- END PROG LOAD LOG --}, with the
 * {@code libbpf: prog 'NAME': BPF program load failed} line before them) cycle-collapsed, and long
 * output cut to its tail.
 */
public final class LoaderOutput {

    static final String BEGIN = "-- BEGIN PROG LOAD LOG --";
    static final String END = "-- END PROG LOAD LOG --";
    /** Lines of output a failure report keeps (after collapsing). */
    public static final int TAIL_LINES = 200;

    private LoaderOutput() {}

    /** The verifier log sections, each headed by libbpf's failure line, cycle-collapsed; "" when none. */
    public static String verifierLog(String output) {
        List<String> lines = List.of(output.split("\n", -1));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).contains(BEGIN)) {
                continue;
            }
            if (i > 0 && lines.get(i - 1).contains("libbpf: prog '")) {
                out.add(lines.get(i - 1));
            }
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).contains(END)) {
                end++;
            }
            out.add(lines.get(i));
            out.addAll(CycleCollapse.collapse(lines.subList(i + 1, end)).lines());
            if (end < lines.size()) {
                out.add(lines.get(end));
            }
            i = end;
        }
        return String.join("\n", out);
    }

    /** The whole output cycle-collapsed, then cut to its last {@link #TAIL_LINES} lines. */
    public static String forReport(String output) {
        List<String> collapsed = CycleCollapse.collapse(output.strip()).lines();
        if (collapsed.size() <= TAIL_LINES) {
            return String.join("\n", collapsed);
        }
        int cut = collapsed.size() - TAIL_LINES;
        List<String> tail = new ArrayList<>();
        tail.add("... " + cut + " earlier lines omitted ...");
        tail.addAll(collapsed.subList(cut, collapsed.size()));
        return String.join("\n", tail);
    }
}

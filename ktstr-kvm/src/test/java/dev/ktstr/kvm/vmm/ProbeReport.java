package dev.ktstr.kvm.vmm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The probe guest's console lines ("probe: ..."), parsed into the facts the tests compare. */
final class ProbeReport {

    private static final Pattern KV = Pattern.compile("(\\w+)=(\\S+)");

    private final List<String> lines;

    ProbeReport(List<String> console) {
        List<String> probe = new ArrayList<>();
        for (String l : console) {
            if (l.startsWith("probe: ")) {
                probe.add(l.substring("probe: ".length()));
            }
        }
        this.lines = List.copyOf(probe);
    }

    List<String> lines() {
        return lines;
    }

    List<String> failures() {
        return lines.stream().filter(l -> l.startsWith("FAIL ")).toList();
    }

    TreeSet<String> passedChecks() {
        TreeSet<String> out = new TreeSet<>();
        for (String l : lines) {
            if (l.startsWith("check ") && l.endsWith(" ok")) {
                out.add(l.substring(6, l.length() - 3));
            }
        }
        return out;
    }

    /** Lines starting with {@code prefix + " "}, without the prefix. */
    List<String> with(String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix + " ")).map(l -> l.substring(prefix.length() + 1))
                .toList();
    }

    Optional<String> first(String prefix) {
        return with(prefix).stream().findFirst();
    }

    /** key=value pairs of a line. */
    static Map<String, String> kv(String line) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = KV.matcher(line);
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    static long num(String v) {
        return v.startsWith("0x") ? Long.parseUnsignedLong(v.substring(2), 16) : Long.parseLong(v);
    }

    /** Every "e820 addr size type" line as {addr, size, type}. */
    List<long[]> e820() {
        List<long[]> out = new ArrayList<>();
        for (String l : with("e820")) {
            String[] f = l.split(" ");
            out.add(new long[] {num(f[0]), num(f[1]), num(f[2])});
        }
        return out;
    }
}

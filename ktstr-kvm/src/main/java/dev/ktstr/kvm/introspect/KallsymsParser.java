package dev.ktstr.kvm.introspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses the text of {@code /proc/kallsyms} (kernel/kallsyms.c, {@code s_show}: one symbol per line,
 * {@code "%px %c %s"} plus {@code "\t[module]"} for module symbols) into {@link KernelSymbols}.
 * Module symbols are left out: their addresses are allocated at load time and are not part of the
 * kernel image. A file whose addresses are all zero was read without {@code CAP_SYSLOG} (or with
 * {@code kptr_restrict=2}) and is refused rather than returned as a table of zeros.
 */
public final class KallsymsParser {

    private KallsymsParser() {}

    /**
     * Parses kallsyms text; any subset of its lines (e.g. only {@link KernelSymbols#INTROSPECTION_SYMBOLS})
     * is accepted.
     *
     * @param source where the text came from, for messages
     */
    public static KernelSymbols parse(String source, CharSequence text) throws IntrospectException {
        List<Map.Entry<String, Long>> entries = new ArrayList<>();
        boolean anyNonZero = false;
        int lineNo = 0;
        int start = 0;
        int len = text.length();
        while (start < len) {
            int end = start;
            while (end < len && text.charAt(end) != '\n') {
                end++;
            }
            lineNo++;
            String line = text.subSequence(start, end).toString().strip();
            start = end + 1;
            if (line.isEmpty() || line.indexOf('[') >= 0) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length < 3 || parts[1].length() != 1) {
                throw new IntrospectException(source + ": line " + lineNo + " is not '<address> <type> <name>': '"
                        + abbreviate(line) + "'");
            }
            long addr;
            try {
                addr = Long.parseUnsignedLong(parts[0], 16);
            } catch (NumberFormatException e) {
                throw new IntrospectException(source + ": line " + lineNo + " has a bad address '" + parts[0] + "'");
            }
            anyNonZero |= addr != 0;
            entries.add(Map.entry(parts[2], addr));
        }
        if (entries.isEmpty()) {
            throw new IntrospectException(source + ": no symbols in " + lineNo + " lines");
        }
        if (!anyNonZero) {
            throw new IntrospectException(source + ": all " + entries.size()
                    + " addresses are zero (read without CAP_SYSLOG or with kptr_restrict=2)");
        }
        return KernelSymbols.of(source, entries);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}

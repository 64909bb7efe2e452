package dev.ktstr.runtime.kernel.debian;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses apt source lists as specified by {@code sources.list(5)}: the deb822 format of
 * {@code *.sources} files (stanzas separated by blank lines, {@code #} comment lines, continuation
 * lines starting with white space, case-insensitive field names, {@code Enabled: no} to disable a
 * stanza) and the one-line format ({@code deb [opt=value …] uri suite component…}).
 */
public final class AptSourcesParser {

    private AptSourcesParser() {}

    /** The stanzas of a deb822 {@code .sources} file; disabled ones are left out. */
    public static List<AptSourceEntry> parseDeb822(String text, String fileName) {
        List<AptSourceEntry> out = new ArrayList<>();
        Map<String, String> fields = new LinkedHashMap<>();
        String last = null;
        int stanzaLine = 0;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i <= lines.length; i++) {
            String line = i < lines.length ? stripCr(lines[i]) : "";
            if (line.startsWith("#")) {
                continue;
            }
            if (line.isBlank()) {
                if (!fields.isEmpty()) {
                    toEntry(fields, fileName + ":" + stanzaLine).ifPresent(out::add);
                    fields = new LinkedHashMap<>();
                    last = null;
                }
                continue;
            }
            if (fields.isEmpty()) {
                stanzaLine = i + 1;
            }
            if (Character.isWhitespace(line.charAt(0))) {
                if (last != null) {
                    fields.merge(last, "\n" + line.strip(), String::concat);
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            last = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            fields.put(last, line.substring(colon + 1).strip());
        }
        return out;
    }

    private static java.util.Optional<AptSourceEntry> toEntry(Map<String, String> f, String origin) {
        String enabled = f.getOrDefault("enabled", "yes").strip().toLowerCase(Locale.ROOT);
        if (enabled.equals("no") || enabled.equals("false")) {
            return java.util.Optional.empty();
        }
        Map<String, String> options = new LinkedHashMap<>(f);
        for (String k : List.of("types", "uris", "suites", "components")) {
            options.remove(k);
        }
        return java.util.Optional.of(new AptSourceEntry(words(f.get("types")), words(f.get("uris")),
                words(f.get("suites")), words(f.get("components")), options, origin));
    }

    /** The entries of a one-line format file ({@code sources.list}, {@code *.list}). */
    public static List<AptSourceEntry> parseOneLine(String text, String fileName) {
        List<AptSourceEntry> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = stripCr(lines[i]);
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String type = line.split("\\s+", 2)[0];
            if (!type.equals("deb") && !type.equals("deb-src")) {
                continue;
            }
            String rest = line.substring(type.length()).strip();
            Map<String, String> options = new LinkedHashMap<>();
            if (rest.startsWith("[")) {
                int close = rest.indexOf(']');
                if (close < 0) {
                    continue;
                }
                for (String opt : words(rest.substring(1, close))) {
                    int eq = opt.indexOf('=');
                    if (eq > 0) {
                        options.put(opt.substring(0, eq).toLowerCase(Locale.ROOT), opt.substring(eq + 1));
                    }
                }
                rest = rest.substring(close + 1).strip();
            }
            List<String> parts = words(rest);
            if (parts.size() < 2) {
                continue;
            }
            out.add(new AptSourceEntry(List.of(type), List.of(parts.get(0)), List.of(parts.get(1)),
                    parts.subList(2, parts.size()), options, fileName + ":" + (i + 1)));
        }
        return out;
    }

    private static List<String> words(String s) {
        if (s == null || s.isBlank()) {
            return List.of();
        }
        return Arrays.stream(s.strip().split("\\s+")).toList();
    }

    private static String stripCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
}

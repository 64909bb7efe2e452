package dev.ktstr.runtime.kernel.debian;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The distribution facts of {@code os-release(5)}: {@code ID} and {@code VERSION_CODENAME} (falling
 * back to the codename in parentheses of {@code VERSION}, as older Debian releases write it).
 *
 * @param id       {@code debian}, {@code ubuntu}, …
 * @param codename {@code bookworm}, {@code trixie}, …, or "" when absent
 */
public record OsRelease(String id, String codename) {

    private static final Pattern PAREN = Pattern.compile("\\(([a-z]+)\\)");

    public static OsRelease parse(String text) {
        Map<String, String> v = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0 || line.startsWith("#")) {
                continue;
            }
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") || value.startsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            v.put(line.substring(0, eq).strip(), value);
        }
        String codename = Optional.ofNullable(v.get("VERSION_CODENAME")).filter(s -> !s.isBlank()).orElseGet(() -> {
            Matcher m = PAREN.matcher(v.getOrDefault("VERSION", ""));
            return m.find() ? m.group(1) : "";
        });
        return new OsRelease(v.getOrDefault("ID", ""), codename);
    }

    public boolean isDebian() {
        return "debian".equals(id);
    }
}

package dev.ktstr.processor.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The naming rules of ktstr: a flag's user-facing name is the kebab-case of its enum constant,
 * acronym-aware ({@code REJECT_PIN} and {@code RejectPin} become {@code reject-pin},
 * {@code HTTPServer} becomes {@code http-server}), and generated Java identifiers are derived from
 * those names by replacing what Java does not allow with {@code _}.
 */
public final class Names {

    private Names() {}

    /** The kebab-case of an enum constant name (ktstr facts §6.2). */
    public static String kebab(String constant) {
        List<String> words = new ArrayList<>();
        for (String part : constant.split("[_$]+")) {
            splitCamel(part, words);
        }
        return String.join("-", words);
    }

    /**
     * Splits one underscore-free part at case changes: before an upper-case letter that follows a
     * lower-case letter or digit ({@code rejectPin}), and before the last upper-case letter of a run
     * that is followed by a lower-case one ({@code HTTPServer} → {@code HTTP}, {@code Server}).
     */
    private static void splitCamel(String part, List<String> words) {
        int start = 0;
        for (int i = 1; i < part.length(); i++) {
            char prev = part.charAt(i - 1);
            char c = part.charAt(i);
            boolean lowerToUpper = (Character.isLowerCase(prev) || Character.isDigit(prev)) && Character.isUpperCase(c);
            boolean acronymEnd = Character.isUpperCase(prev) && Character.isUpperCase(c)
                    && i + 1 < part.length() && Character.isLowerCase(part.charAt(i + 1));
            if (lowerToUpper || acronymEnd) {
                words.add(part.substring(start, i).toLowerCase(Locale.ROOT));
                start = i;
            }
        }
        if (start < part.length()) {
            words.add(part.substring(start).toLowerCase(Locale.ROOT));
        }
    }

    /** {@code text} with every character Java does not allow in an identifier replaced by {@code _}. */
    public static String javaIdentifier(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = i == 0 ? Character.isJavaIdentifierStart(c) : Character.isJavaIdentifierPart(c);
            sb.append(ok && c != '$' ? c : '_');
        }
        return sb.length() == 0 ? "_" : sb.toString();
    }
}

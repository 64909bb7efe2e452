package dev.ktstr.annotations;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The naming rule of {@link Flag}s, shared by the annotation processor and the runtime: a flag's
 * user-facing name is the kebab-case of its enum constant, acronym-aware ({@code REJECT_PIN} and
 * {@code RejectPin} become {@code reject-pin}, {@code HTTPServer} becomes {@code http-server}).
 */
public final class FlagNames {

    private FlagNames() {}

    /** The kebab-case name of an enum constant. */
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
}

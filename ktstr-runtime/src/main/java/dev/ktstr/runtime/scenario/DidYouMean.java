package dev.ktstr.runtime.scenario;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean" suggestions for unknown names (scenarios, cgroups, work types, presets): the
 * candidate with the smallest Levenshtein distance, if it is close enough to be a plausible typo.
 */
public final class DidYouMean {

    private DidYouMean() {}

    /** The closest candidate within a distance of max(2, a third of the input's length), if any. */
    public static Optional<String> closest(String input, Collection<String> candidates) {
        String needle = input.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(needle, c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        int limit = Math.max(2, needle.length() / 3);
        return best != null && bestDistance <= limit ? Optional.of(best) : Optional.empty();
    }

    /** {@code " (did you mean 'x'?)"} or the empty string. */
    public static String hint(String input, Collection<String> candidates) {
        return closest(input, candidates).map(c -> " (did you mean '" + c + "'?)").orElse("");
    }

    /** The Levenshtein edit distance. */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}

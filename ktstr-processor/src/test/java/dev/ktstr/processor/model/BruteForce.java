package dev.ktstr.processor.model;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * An independent oracle for flag profiles: every subset of all flags, as a set of names, that holds
 * the required flags, avoids the excluded ones and contains every requirement of its members. It
 * shares no code with {@link FlagProfiles} (no optional-flag list, no bit masks of requirements).
 */
public final class BruteForce {

    private BruteForce() {}

    public static Set<Set<String>> profiles(List<FlagDecl> flags, Set<String> required, Set<String> excluded) {
        Set<Set<String>> out = new HashSet<>();
        int n = flags.size();
        for (int mask = 0; mask < (1 << n); mask++) {
            Set<String> s = new TreeSet<>();
            for (int i = 0; i < n; i++) {
                if ((mask >> i & 1) == 1) {
                    s.add(flags.get(i).name());
                }
            }
            boolean ok = s.containsAll(required) && s.stream().noneMatch(excluded::contains);
            for (FlagDecl f : flags) {
                if (s.contains(f.name()) && !s.containsAll(f.requires())) {
                    ok = false;
                }
            }
            if (ok) {
                out.add(s);
            }
        }
        return out;
    }
}

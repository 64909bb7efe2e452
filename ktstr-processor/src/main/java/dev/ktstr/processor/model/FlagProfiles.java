package dev.ktstr.processor.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The valid flag profiles of a test (ktstr facts §6.3): the optional flags are all flags minus the
 * required and the excluded ones; every subset of them joined with the required flags is a candidate,
 * kept only if each of its flags has all of its requirements in it. Profiles come out in the order of
 * the subset bit masks (bit {@code i} = the {@code i}-th optional flag in declaration order), each
 * profile's flags in declaration order, so the expansion is the same on every build.
 */
public final class FlagProfiles {

    /** The most optional flags a test may expand over: 2^16 profiles before any topology preset. */
    public static final int MAX_OPTIONAL_FLAGS = 16;

    private FlagProfiles() {}

    /**
     * Every valid profile, each a list of flag names in declaration order.
     *
     * @param flags    the scheduler's flags in declaration order; their {@code requires} name other flags
     * @param required names of flags present in every profile
     * @param excluded names of flags absent from every profile
     * @throws IllegalArgumentException if a name is unknown or more than {@link #MAX_OPTIONAL_FLAGS}
     *                                  flags are optional (the validator reports both first)
     */
    public static List<List<String>> profiles(List<FlagDecl> flags, Set<String> required, Set<String> excluded) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < flags.size(); i++) {
            index.put(flags.get(i).name(), i);
        }
        if (flags.size() > 63) {
            throw new IllegalArgumentException("a scheduler may declare at most 63 flags, got " + flags.size());
        }
        long[] needs = new long[flags.size()];
        for (int i = 0; i < flags.size(); i++) {
            for (String r : flags.get(i).requires()) {
                needs[i] |= 1L << indexOf(index, r);
            }
        }
        long requiredMask = maskOf(index, required);
        long excludedMask = maskOf(index, excluded);
        List<Integer> optional = new ArrayList<>();
        for (int i = 0; i < flags.size(); i++) {
            if ((requiredMask & (1L << i)) == 0 && (excludedMask & (1L << i)) == 0) {
                optional.add(i);
            }
        }
        if (optional.size() > MAX_OPTIONAL_FLAGS) {
            throw new IllegalArgumentException(optional.size() + " optional flags exceed " + MAX_OPTIONAL_FLAGS);
        }
        List<List<String>> out = new ArrayList<>();
        for (long subset = 0; subset < (1L << optional.size()); subset++) {
            long profile = requiredMask;
            for (int b = 0; b < optional.size(); b++) {
                if ((subset & (1L << b)) != 0) {
                    profile |= 1L << optional.get(b);
                }
            }
            if (satisfied(profile, needs)) {
                List<String> names = new ArrayList<>(Long.bitCount(profile));
                for (int i = 0; i < flags.size(); i++) {
                    if ((profile & (1L << i)) != 0) {
                        names.add(flags.get(i).name());
                    }
                }
                out.add(List.copyOf(names));
            }
        }
        return List.copyOf(out);
    }

    /** The number of optional flags a test has (what {@link #MAX_OPTIONAL_FLAGS} bounds). */
    public static int optionalCount(List<FlagDecl> flags, Set<String> required, Set<String> excluded) {
        int n = 0;
        for (FlagDecl f : flags) {
            if (!required.contains(f.name()) && !excluded.contains(f.name())) {
                n++;
            }
        }
        return n;
    }

    /** The profile name: flags joined by {@code +}, or {@code default} when there are none. */
    public static String profileName(List<String> flags) {
        return flags.isEmpty() ? "default" : String.join("+", flags);
    }

    private static boolean satisfied(long profile, long[] needs) {
        for (int i = 0; i < needs.length; i++) {
            if ((profile & (1L << i)) != 0 && (needs[i] & ~profile) != 0) {
                return false;
            }
        }
        return true;
    }

    private static long maskOf(Map<String, Integer> index, Set<String> names) {
        long mask = 0;
        for (String n : names) {
            mask |= 1L << indexOf(index, n);
        }
        return mask;
    }

    private static int indexOf(Map<String, Integer> index, String name) {
        Integer i = index.get(name);
        if (i == null) {
            throw new IllegalArgumentException("unknown flag '" + name + "'");
        }
        return i;
    }
}

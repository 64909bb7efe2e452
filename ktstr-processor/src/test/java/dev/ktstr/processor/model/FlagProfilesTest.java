package dev.ktstr.processor.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class FlagProfilesTest {

    /** The six built-in flags of ktstr (facts §6.3), {@code steal} requiring {@code llc}. */
    static final List<FlagDecl> BUILT_IN = List.of(
            flag("llc"), flag("borrow"), flag("steal", "llc"), flag("rebal"), flag("reject-pin"), flag("no-ctrl"));

    @Test
    void sixFlagsWithStealRequiringLlcGive48Profiles() {
        List<List<String>> profiles = FlagProfiles.profiles(BUILT_IN, Set.of(), Set.of());
        assertEquals(48, profiles.size());
        assertEquals(List.of(), profiles.get(0), "the default profile comes first");
        assertEquals(List.of("llc"), profiles.get(1));
        assertTrue(profiles.contains(List.of("llc", "steal")));
        assertTrue(profiles.stream().noneMatch(p -> p.contains("steal") && !p.contains("llc")));
        assertEquals(new HashSet<>(profiles).size(), profiles.size(), "no duplicates");
    }

    @Test
    void profilesKeepDeclarationOrderWithinAndMaskOrderAcross() {
        List<FlagDecl> flags = List.of(flag("a"), flag("b"), flag("c"));
        assertEquals(List.of(List.of(), List.of("a"), List.of("b"), List.of("a", "b"), List.of("c"), List.of("a", "c"),
                List.of("b", "c"), List.of("a", "b", "c")), FlagProfiles.profiles(flags, Set.of(), Set.of()));
    }

    @Test
    void requiredFlagsAreInEveryProfileAndExcludedInNone() {
        List<List<String>> p = FlagProfiles.profiles(BUILT_IN, Set.of("steal"), Set.of("borrow"));
        // steal forces llc; optional: llc, rebal, reject-pin, no-ctrl; valid only with llc: 2^3 = 8.
        assertEquals(8, p.size());
        assertTrue(p.stream().allMatch(x -> x.contains("steal") && x.contains("llc") && !x.contains("borrow")));
    }

    @Test
    void unknownNamesAndTooManyOptionalFlagsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> FlagProfiles.profiles(BUILT_IN, Set.of("nope"), Set.of()));
        List<FlagDecl> many = new ArrayList<>();
        for (int i = 0; i <= FlagProfiles.MAX_OPTIONAL_FLAGS; i++) {
            many.add(flag("f" + i));
        }
        assertThrows(IllegalArgumentException.class, () -> FlagProfiles.profiles(many, Set.of(), Set.of()));
        assertEquals(1 << 16, FlagProfiles.profiles(many, Set.of("f0"), Set.of()).size());
    }

    @Test
    void profileNames() {
        assertEquals("default", FlagProfiles.profileName(List.of()));
        assertEquals("llc+steal", FlagProfiles.profileName(List.of("llc", "steal")));
    }

    /**
     * Held-out graphs — chains, diamonds, fans, random DAGs with required/excluded mixes — against an
     * independent brute force: enumerate every subset of all flags as a set of names and keep those
     * that contain the required flags, avoid the excluded ones and are closed under requirements.
     */
    @Test
    void matchesBruteForceOnHeldOutGraphs() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("chain", List.of(flag("a"), flag("b", "a"), flag("c", "b"), flag("d", "c")), Set.of(), Set.of()));
        cases.add(new Case("chain-required-tail",
                List.of(flag("a"), flag("b", "a"), flag("c", "b"), flag("d", "c"), flag("e")), Set.of("d"), Set.of()));
        cases.add(new Case("diamond", List.of(flag("top"), flag("l", "top"), flag("r", "top"), flag("bot", "l", "r")),
                Set.of(), Set.of()));
        cases.add(new Case("diamond-excluded-side",
                List.of(flag("top"), flag("l", "top"), flag("r", "top"), flag("bot", "l", "r"), flag("x")),
                Set.of(), Set.of("r")));
        cases.add(new Case("fan-in", List.of(flag("a"), flag("b"), flag("c"), flag("all", "a", "b", "c")),
                Set.of("b"), Set.of()));
        cases.add(new Case("independent-8", independent(8), Set.of(), Set.of()));
        cases.add(new Case("required-and-excluded",
                List.of(flag("a"), flag("b", "a"), flag("c"), flag("d", "c"), flag("e", "b", "d"), flag("f")),
                Set.of("b"), Set.of("f")));
        Random rnd = new Random(20260101L);
        for (int i = 0; i < 200; i++) {
            cases.add(randomCase(rnd, i));
        }
        for (Case c : cases) {
            List<List<String>> got = FlagProfiles.profiles(c.flags, c.required, c.excluded);
            Set<Set<String>> expected = BruteForce.profiles(c.flags, c.required, c.excluded);
            Set<Set<String>> gotSets = new HashSet<>();
            for (List<String> p : got) {
                gotSets.add(new TreeSet<>(p));
            }
            assertEquals(expected.size(), got.size(), c.name + ": count");
            assertEquals(expected, gotSets, c.name + ": profiles");
        }
    }

    private record Case(String name, List<FlagDecl> flags, Set<String> required, Set<String> excluded) {}

    private static Case randomCase(Random rnd, int i) {
        int n = 1 + rnd.nextInt(9);
        List<FlagDecl> flags = new ArrayList<>();
        for (int f = 0; f < n; f++) {
            List<String> req = new ArrayList<>();
            for (int g = 0; g < f; g++) { // edges only to earlier flags: acyclic by construction
                if (rnd.nextInt(4) == 0) {
                    req.add("f" + g);
                }
            }
            flags.add(new FlagDecl("F" + f, "f" + f, List.of("--f" + f), req));
        }
        Set<String> required = new LinkedHashSet<>();
        Set<String> excluded = new LinkedHashSet<>();
        for (int f = 0; f < n; f++) {
            int r = rnd.nextInt(8);
            if (r == 0) {
                required.add("f" + f);
            } else if (r == 1) {
                excluded.add("f" + f);
            }
        }
        return new Case("random-" + i, flags, required, excluded);
    }

    private static List<FlagDecl> independent(int n) {
        List<FlagDecl> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(flag("i" + i));
        }
        return out;
    }

    static FlagDecl flag(String name, String... requires) {
        return new FlagDecl(name.toUpperCase(java.util.Locale.ROOT).replace('-', '_'), name, List.of("--" + name),
                List.of(requires));
    }
}

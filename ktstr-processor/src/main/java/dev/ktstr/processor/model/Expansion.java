package dev.ktstr.processor.model;

import dev.ktstr.topology.Preset;
import dev.ktstr.topology.Presets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Expands a test into its variants (ktstr facts §5.2): the base test on its declared topology with
 * the required flags active (and the flags they need: ktstr would start the scheduler with a
 * profile its own requirements forbid), then, unless it is host-only, one gauntlet variant for each preset the
 * constraints accept (canonical preset order) × each valid flag profile (mask order).
 *
 * <p>Unlike ktstr, presets are not filtered by the build host's capacity: the generated set is the
 * same on every machine, and the runtime skips (with a reason) what the host cannot run.
 */
public final class Expansion {

    private Expansion() {}

    public static List<VariantModel> expand(TestModel test) {
        List<VariantModel> out = new ArrayList<>();
        out.add(new VariantModel(test, null, test.topology(), test.memoryMb(), baseFlags(test)));
        if (test.hostOnly()) {
            return List.copyOf(out);
        }
        List<List<String>> profiles = profiles(test);
        for (Preset preset : acceptedPresets(test)) {
            long memory = preset.memoryMb(test.memoryMb());
            for (List<String> profile : profiles) {
                out.add(new VariantModel(test, preset.name(), preset.topology(), memory, profile));
            }
        }
        return List.copyOf(out);
    }

    /** The required flags and everything they need, in declaration order: the smallest valid profile. */
    public static List<String> baseFlags(TestModel test) {
        FlagGraph graph = new FlagGraph(test.scheduler().flags());
        Set<String> needed = new LinkedHashSet<>(test.requiredFlags());
        for (String r : test.requiredFlags()) {
            needed.addAll(graph.transitiveRequirements(r));
        }
        return test.scheduler().flagNames().stream().filter(needed::contains).toList();
    }

    /** The presets the test's resolved constraints accept, in canonical order. */
    public static List<Preset> acceptedPresets(TestModel test) {
        return Presets.accepted(test.constraints());
    }

    /** The test's valid flag profiles. */
    public static List<List<String>> profiles(TestModel test) {
        return FlagProfiles.profiles(test.scheduler().flags(),
                new LinkedHashSet<>(test.requiredFlags()), new LinkedHashSet<>(test.excludedFlags()));
    }
}

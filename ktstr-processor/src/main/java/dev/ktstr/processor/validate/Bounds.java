package dev.ktstr.processor.validate;

import dev.ktstr.processor.model.PartialConstraints;
import java.util.List;

/**
 * The numeric rules shared by {@code @Scheduler}, {@code @Topology}, {@code @Checks} and
 * {@code @KtstrTest}: sizes are positive, "inherit" is exactly {@code -1}, and each min/max pair is
 * ordered. Each check reports on the offending value and says whether it passed.
 */
final class Bounds {

    static final int INHERIT = PartialConstraints.UNSET;

    /** The constraint attributes shared by {@code @Scheduler} and {@code @KtstrTest}, min before max. */
    static final List<String> CONSTRAINT_ATTRIBUTES =
            List.of("minNumaNodes", "maxNumaNodes", "minLlcs", "maxLlcs", "minCpus", "maxCpus");

    private Bounds() {}

    /** {@code attr} must be positive. */
    static boolean positive(Diagnostics d, AnnotationView a, String attr) {
        long v = a.longValue(attr);
        if (v <= 0) {
            d.error(Message.BAD_SIZE, a, attr, attr, v);
            return false;
        }
        return true;
    }

    /** {@code attr} must be positive or {@link #INHERIT}. */
    static boolean positiveOrInherit(Diagnostics d, AnnotationView a, String attr) {
        long v = a.longValue(attr);
        if (v != INHERIT && v <= 0) {
            d.error(Message.BAD_SIZE, a, attr, attr, v);
            return false;
        }
        return true;
    }

    /** Checks every constraint attribute of {@code a}; returns them as set there (unset = {@link #INHERIT}). */
    static PartialConstraints constraints(Diagnostics d, AnnotationView a) {
        boolean ok = true;
        for (String attr : CONSTRAINT_ATTRIBUTES) {
            ok &= positiveOrInherit(d, a, attr);
        }
        PartialConstraints c = new PartialConstraints(
                a.intValue("minNumaNodes"), a.intValue("maxNumaNodes"), a.intValue("minLlcs"), a.intValue("maxLlcs"),
                a.intValue("minCpus"), a.intValue("maxCpus"), a.boolValue("requiresSmt"));
        return ok ? c : null;
    }

    /** Blank entries in a {@code String[]} attribute are mistakes (an empty argv word). */
    static void noBlankEntries(Diagnostics d, AnnotationView a, String attr) {
        List<AnnotationView.Entry> entries = a.entries(attr);
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).string().isBlank()) {
                d.error(Message.BLANK_ARG, a.element(), a.mirror(), entries.get(i).annotationValue(), attr, i);
            }
        }
    }
}

package dev.ktstr.processor.validate;

import dev.ktstr.annotations.Flag;
import dev.ktstr.annotations.Scheduler;
import dev.ktstr.processor.model.FlagDecl;
import dev.ktstr.processor.model.FlagGraph;
import dev.ktstr.processor.model.Names;
import dev.ktstr.processor.model.PartialConstraints;
import dev.ktstr.processor.model.SchedulerModel;
import dev.ktstr.topology.Topology;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;

/**
 * Validates a {@code @Scheduler} enum (ktstr facts §6.2) and builds its {@link SchedulerModel}: the
 * name, the default topology, constraints, arguments, sysctls, check thresholds, and every constant
 * as a flag with its arguments and (resolved, acyclic) requirements.
 */
public final class SchedulerValidator {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    /** The most flags one scheduler may declare: profiles are bit masks of a {@code long}. */
    public static final int MAX_FLAGS = 63;

    private SchedulerValidator() {}

    /** The model of {@code type}, or empty when it has errors (all reported to {@code d}). */
    public static Optional<SchedulerModel> validate(TypeElement type, Diagnostics d) {
        AnnotationView a = AnnotationView.find(type, Scheduler.class.getCanonicalName())
                .orElseThrow(() -> new IllegalArgumentException(type + " is not annotated @Scheduler"));
        if (a.erroneous() || constantsErroneous(type)) {
            return Optional.empty(); // javac reports what it could not evaluate
        }
        int before = d.errorCount();
        if (type.getKind() != ElementKind.ENUM) {
            d.error(Message.SCHEDULER_NOT_ENUM, type, a.mirror(), null, type.getQualifiedName(),
                    AccessRules.article(type.getKind()));
            return Optional.empty();
        }
        String name = a.stringValue("name");
        if (!NAME.matcher(name).matches()) {
            d.error(Message.SCHEDULER_NAME, a, "name", name);
        }
        Topology topology = topology(d, a.annotation("topology"));
        PartialConstraints constraints = Bounds.constraints(d, a);
        if (constraints != null) {
            orderedWhenBothSet(d, a, constraints);
        }
        Bounds.noBlankEntries(d, a, "schedArgs");
        Bounds.noBlankEntries(d, a, "kargs");
        for (AnnotationView.Entry e : a.entries("sysctls")) {
            sysctl(d, type, e);
        }
        ChecksValidator.validate(d, a.annotation("checks"));
        List<FlagDecl> flags = flags(type, d);
        if (d.errorCount() > before || topology == null || constraints == null) {
            return Optional.empty();
        }
        return Optional.of(new SchedulerModel(type.getQualifiedName().toString(), name, a.stringValue("binary"),
                topology, constraints, flags));
    }

    private static boolean constantsErroneous(TypeElement type) {
        for (Element e : type.getEnclosedElements()) {
            if (AnnotationView.find(e, Flag.class.getCanonicalName()).map(AnnotationView::erroneous).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    /** Validates a {@code @Topology}; the topology, or {@code null} after reporting why not. */
    static Topology topology(Diagnostics d, AnnotationView t) {
        boolean ok = true;
        for (String attr : List.of("numaNodes", "llcs", "cores", "threads")) {
            ok &= Bounds.positive(d, t, attr);
        }
        if (!ok) {
            return null;
        }
        int numa = t.intValue("numaNodes");
        int llcs = t.intValue("llcs");
        if (llcs % numa != 0) {
            d.error(Message.LLCS_NOT_MULTIPLE, t, "llcs", llcs, numa);
            return null;
        }
        return new Topology(numa, llcs, t.intValue("cores"), t.intValue("threads"));
    }

    private static void orderedWhenBothSet(Diagnostics d, AnnotationView a, PartialConstraints c) {
        minMax(d, a, "minNumaNodes", c.minNumaNodes(), "maxNumaNodes", c.maxNumaNodes());
        minMax(d, a, "minLlcs", c.minLlcs(), "maxLlcs", c.maxLlcs());
        minMax(d, a, "minCpus", c.minCpus(), "maxCpus", c.maxCpus());
    }

    private static void minMax(Diagnostics d, AnnotationView a, String minAttr, int min, String maxAttr, int max) {
        if (min != Bounds.INHERIT && max != Bounds.INHERIT && min > max) {
            d.error(Message.MIN_EXCEEDS_MAX, a, minAttr, minAttr, min, "", maxAttr, max, "");
        }
    }

    private static void sysctl(Diagnostics d, Element type, AnnotationView.Entry e) {
        AnnotationView s = AnnotationView.nested(type, e.annotation());
        String key = s.stringValue("key");
        String value = s.stringValue("value");
        if (key.isBlank() || !key.matches("[A-Za-z0-9_.\\-/*]+")) {
            d.error(Message.BAD_SYSCTL, s, "key", "key", key, "must be a sysctl name such as kernel.sched_rr_timeslice_ms");
        }
        if (value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
            d.error(Message.BAD_SYSCTL, s, "value", "value", value.replace("\n", "\\n"), "must be one line");
        }
    }

    /** Every enum constant is a flag; {@code @Flag} adds its arguments and requirements. */
    private static List<FlagDecl> flags(TypeElement type, Diagnostics d) {
        List<Element> constants = type.getEnclosedElements().stream()
                .filter(e -> e.getKind() == ElementKind.ENUM_CONSTANT)
                .map(e -> (Element) e)
                .toList();
        if (constants.size() > MAX_FLAGS) {
            d.error(Message.TOO_MANY_FLAGS, type, null, null,
                    type.getSimpleName() + " declares " + constants.size() + " flags; a scheduler may declare at most "
                            + MAX_FLAGS);
            return List.of();
        }
        // Pass 1: names, so requirements may refer to later constants.
        Map<String, Element> byName = new LinkedHashMap<>();
        Map<String, String> constantToName = new HashMap<>();
        for (Element c : constants) {
            String constant = c.getSimpleName().toString();
            String kebab = Names.kebab(constant);
            Element clash = byName.putIfAbsent(kebab, c);
            if (clash != null) {
                d.error(Message.DUPLICATE_FLAG_NAME, c, null, null, clash.getSimpleName(), constant, kebab);
            }
            constantToName.put(constant, kebab);
        }
        String known = String.join(", ", byName.keySet());
        String where = type.getSimpleName().toString();
        // Pass 2: arguments and requirements.
        List<FlagDecl> flags = new ArrayList<>();
        Map<String, Map<String, AnnotationView.Entry>> requireEntries = new HashMap<>();
        Map<String, AnnotationView> views = new HashMap<>();
        for (Element c : constants) {
            String constant = c.getSimpleName().toString();
            String kebab = constantToName.get(constant);
            Optional<AnnotationView> fv = AnnotationView.find(c, Flag.class.getCanonicalName());
            List<String> args = List.of();
            Set<String> requires = new LinkedHashSet<>();
            Map<String, AnnotationView.Entry> entries = new LinkedHashMap<>();
            if (fv.isPresent()) {
                AnnotationView f = fv.get();
                views.put(kebab, f);
                Bounds.noBlankEntries(d, f, "args");
                args = f.strings("args");
                for (AnnotationView.Entry e : f.entries("requires")) {
                    String ref = e.string();
                    String resolved = constantToName.containsKey(ref) ? constantToName.get(ref)
                            : byName.containsKey(ref) ? ref : null;
                    if (resolved == null) {
                        d.error(Message.UNKNOWN_FLAG, c, f.mirror(), e.annotationValue(), ref,
                                "the requirements of " + constant, where, known);
                    } else if (!requires.add(resolved)) {
                        d.error(Message.DUPLICATE_FLAG_REF, c, f.mirror(), e.annotationValue(), ref,
                                "the requirements of " + constant);
                    } else {
                        entries.put(resolved, e);
                    }
                }
            }
            if (args.isEmpty()) {
                d.warning(Message.FLAG_NO_ARGS, c, fv.map(AnnotationView::mirror).orElse(null), null, kebab);
            }
            requireEntries.put(kebab, entries);
            flags.add(new FlagDecl(constant, kebab, args, List.copyOf(requires)));
        }
        new FlagGraph(flags).firstCycle().ifPresent(cycle -> {
            String from = cycle.get(0);
            AnnotationView f = views.get(from);
            AnnotationView.Entry edge = requireEntries.get(from).get(cycle.get(1));
            d.error(Message.FLAG_CYCLE, byName.get(from), f.mirror(), edge.annotationValue(),
                    String.join(" -> ", cycle));
        });
        duplicateArgs(d, flags, views, byName);
        return flags;
    }

    /** Two flags passing the same option would hand it to the scheduler twice in a profile with both. */
    private static void duplicateArgs(Diagnostics d, List<FlagDecl> flags, Map<String, AnnotationView> views,
            Map<String, Element> byName) {
        Map<String, String> owner = new HashMap<>();
        for (FlagDecl f : flags) {
            AnnotationView v = views.get(f.name());
            List<AnnotationView.Entry> entries = v == null ? List.of() : v.entries("args");
            Set<String> mine = new LinkedHashSet<>();
            for (AnnotationView.Entry e : entries) {
                String option = optionName(e.string());
                if (option == null || !mine.add(option)) {
                    continue;
                }
                String other = owner.putIfAbsent(option, f.name());
                if (other != null) {
                    d.error(Message.DUPLICATE_FLAG_ARG, byName.get(f.name()), v.mirror(), e.annotationValue(),
                            f.name(), option, other);
                }
            }
        }
    }

    /** The option an argv word names ({@code --slice=5} → {@code --slice}), or null for a value. */
    static String optionName(String arg) {
        if (arg.length() < 2 || arg.charAt(0) != '-' || Character.isDigit(arg.charAt(1)) || arg.charAt(1) == '.') {
            return null;
        }
        int eq = arg.indexOf('=');
        return eq < 0 ? arg : arg.substring(0, eq);
    }
}

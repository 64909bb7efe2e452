package dev.ktstr.processor.validate;

import dev.ktstr.annotations.KtstrTest;
import dev.ktstr.annotations.Scheduler;
import dev.ktstr.processor.model.FlagDecl;
import dev.ktstr.processor.model.FlagGraph;
import dev.ktstr.processor.model.FlagProfiles;
import dev.ktstr.processor.model.PartialConstraints;
import dev.ktstr.processor.model.SchedulerModel;
import dev.ktstr.processor.model.TestClassRef;
import dev.ktstr.processor.model.TestModel;
import dev.ktstr.topology.Presets;
import dev.ktstr.topology.Topology;
import dev.ktstr.topology.TopologyConstraints;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Validates one {@code @KtstrTest} method (ktstr facts §6.1) and resolves it into a {@link TestModel}:
 * its signature and reachability, its scheduler, its topology (each attribute inheriting from the
 * scheduler's), sizes, flag lists, constraints (test over scheduler over defaults) and thresholds.
 */
public final class TestValidator {

    /** The parameter type a test method takes, compared by name: the processor does not link the runtime. */
    public static final String CTX = "dev.ktstr.runtime.Ctx";

    /** Attributes that shape a VM or a gauntlet, which a host-only test has neither of. */
    private static final List<String> VM_ONLY_ATTRIBUTES = List.of("llcs", "cores", "threads", "numaNodes", "memoryMb",
            "watchdogTimeoutS", "extraIncludeFiles", "excludedFlags", "minNumaNodes", "maxNumaNodes", "minLlcs",
            "maxLlcs", "minCpus", "maxCpus", "requiresSmt");

    private final Elements elements;
    private final Types types;
    private final SchedulerRegistry schedulers;

    public TestValidator(Elements elements, Types types, SchedulerRegistry schedulers) {
        this.elements = elements;
        this.types = types;
        this.schedulers = schedulers;
    }

    /**
     * The model of {@code method}, or empty when it cannot be generated: either errors were reported to
     * {@code d}, or javac itself will report why (an unresolved type).
     */
    public Optional<TestModel> validate(ExecutableElement method, Diagnostics d) {
        AnnotationView a = AnnotationView.find(method, KtstrTest.class.getCanonicalName()).orElseThrow();
        TypeElement type = (TypeElement) method.getEnclosingElement();
        int before = d.errorCount();
        if (a.erroneous() || !signature(method, d)) {
            return Optional.empty();
        }
        AccessRules.check(d, method, type, a, elements, types);
        Optional<SchedulerModel> scheduler = scheduler(a, d);
        if (scheduler.isEmpty()) {
            return Optional.empty();
        }
        SchedulerModel s = scheduler.get();
        Topology topology = topology(a, s, d);
        for (String attr : List.of("memoryMb", "durationS", "workersPerCgroup", "watchdogTimeoutS")) {
            Bounds.positive(d, a, attr);
        }
        Bounds.positiveOrInherit(d, a, "cleanupBudgetMs");
        Bounds.noBlankEntries(d, a, "extraSchedArgs");
        Bounds.noBlankEntries(d, a, "extraIncludeFiles");
        ChecksValidator.validate(d, a);
        FlagLists flags = flagLists(a, s, d);
        boolean hostOnly = a.boolValue("hostOnly");
        if (hostOnly) {
            for (String attr : VM_ONLY_ATTRIBUTES) {
                if (a.isExplicit(attr)) {
                    d.warning(Message.HOST_ONLY_ATTRIBUTE, a.element(), a.mirror(), a.value(attr), attr);
                }
            }
        }
        TopologyConstraints constraints = constraints(a, s, d);
        if (d.errorCount() > before || topology == null || constraints == null) {
            return Optional.empty();
        }
        if (!hostOnly && !expandable(a, s, flags, constraints, d)) {
            return Optional.empty();
        }
        return Optional.of(new TestModel(ref(type), method.getSimpleName().toString(),
                method.getModifiers().contains(Modifier.STATIC), s, topology, a.intValue("memoryMb"), constraints,
                flags.required(), flags.excluded(), a.intValue("durationS"), a.intValue("workersPerCgroup"),
                a.boolValue("performanceMode"), hostOnly, a.enumValue("expectErr")));
    }

    /** The naming facts generated code needs about {@code type}. */
    public TestClassRef ref(TypeElement type) {
        List<String> simple = new ArrayList<>();
        for (Element e = type; e instanceof TypeElement t; e = e.getEnclosingElement()) {
            simple.add(0, t.getSimpleName().toString());
        }
        return new TestClassRef(elements.getPackageOf(type).getQualifiedName().toString(), simple,
                elements.getBinaryName(type).toString(), !type.getTypeParameters().isEmpty());
    }

    private boolean signature(ExecutableElement method, Diagnostics d) {
        String name = method.getSimpleName().toString();
        List<String> problems = new ArrayList<>();
        if (method.getParameters().size() != 1) {
            problems.add("it takes " + method.getParameters().size() + " parameters");
        } else {
            TypeMirror p = method.getParameters().get(0).asType();
            if (p.getKind() == TypeKind.ERROR) {
                return false; // javac reports the unresolved type
            }
            if (!(p instanceof DeclaredType dt && ((TypeElement) dt.asElement()).getQualifiedName().contentEquals(CTX))) {
                problems.add("its parameter is " + p);
            }
        }
        if (method.getReturnType().getKind() != TypeKind.VOID) {
            problems.add("it returns " + method.getReturnType());
        }
        if (!method.getTypeParameters().isEmpty()) {
            problems.add("it declares type parameters");
        }
        if (method.isVarArgs()) {
            problems.add("it is variadic");
        }
        if (method.getModifiers().contains(Modifier.ABSTRACT)) {
            problems.add("it is abstract");
        }
        if (!problems.isEmpty()) {
            d.error(Message.BAD_SIGNATURE, method, null, null, name, name, String.join(", ", problems));
            return false;
        }
        return true;
    }

    private Optional<SchedulerModel> scheduler(AnnotationView a, Diagnostics d) {
        Optional<TypeMirror> t = a.typeValue("scheduler");
        if (t.isEmpty() || t.get().getKind() != TypeKind.DECLARED) {
            return Optional.empty(); // javac reports the unresolved class
        }
        TypeElement type = (TypeElement) ((DeclaredType) t.get()).asElement();
        if (AnnotationView.find(type, Scheduler.class.getCanonicalName()).isEmpty()) {
            d.error(Message.NOT_A_SCHEDULER, a, "scheduler", type.getQualifiedName());
            return Optional.empty();
        }
        SchedulerRegistry.Entry e = schedulers.lookup(type);
        if (e.model().isEmpty() && !e.fromSource()) {
            d.error(Message.INVALID_SCHEDULER, a, "scheduler", type.getQualifiedName(), e.firstProblem());
        }
        return e.model();
    }

    /** Each topology attribute left unset takes the scheduler's. */
    private Topology topology(AnnotationView a, SchedulerModel s, Diagnostics d) {
        boolean ok = true;
        for (String attr : List.of("llcs", "cores", "threads", "numaNodes")) {
            ok &= Bounds.positiveOrInherit(d, a, attr);
        }
        if (!ok) {
            return null;
        }
        Topology st = s.topology();
        int numa = inherit(a.intValue("numaNodes"), st.numaNodes());
        int llcs = inherit(a.intValue("llcs"), st.llcs());
        if (llcs % numa != 0) {
            d.error(Message.LLCS_NOT_MULTIPLE, a, a.isExplicit("llcs") ? "llcs" : "numaNodes", llcs, numa);
            return null;
        }
        return new Topology(numa, llcs, inherit(a.intValue("cores"), st.coresPerLlc()),
                inherit(a.intValue("threads"), st.threadsPerCore()));
    }

    private static int inherit(int value, int fallback) {
        return value == Bounds.INHERIT ? fallback : value;
    }

    /** The resolved flag lists, in the scheduler's declaration order. */
    private record FlagLists(List<String> required, List<String> excluded) {}

    private FlagLists flagLists(AnnotationView a, SchedulerModel s, Diagnostics d) {
        Map<String, AnnotationView.Entry> required = flagList(a, "requiredFlags", s, d);
        Map<String, AnnotationView.Entry> excluded = flagList(a, "excludedFlags", s, d);
        for (Map.Entry<String, AnnotationView.Entry> e : excluded.entrySet()) {
            if (required.containsKey(e.getKey())) {
                d.error(Message.REQUIRED_AND_EXCLUDED, a.element(), a.mirror(), e.getValue().annotationValue(),
                        e.getKey());
            }
        }
        FlagGraph graph = new FlagGraph(s.flags());
        for (Map.Entry<String, AnnotationView.Entry> e : required.entrySet()) {
            for (String need : graph.transitiveRequirements(e.getKey())) {
                if (excluded.containsKey(need) && !required.containsKey(need)) {
                    d.error(Message.REQUIRED_NEEDS_EXCLUDED, a.element(), a.mirror(), e.getValue().annotationValue(),
                            e.getKey(), need);
                    break;
                }
            }
        }
        return new FlagLists(inDeclarationOrder(s, required.keySet()), inDeclarationOrder(s, excluded.keySet()));
    }

    private static List<String> inDeclarationOrder(SchedulerModel s, Set<String> names) {
        return s.flagNames().stream().filter(names::contains).toList();
    }

    /** Resolves a list of constant or kebab names to kebab names, reporting unknown and repeated ones. */
    private static Map<String, AnnotationView.Entry> flagList(AnnotationView a, String attr, SchedulerModel s,
            Diagnostics d) {
        Map<String, AnnotationView.Entry> out = new LinkedHashMap<>();
        for (AnnotationView.Entry e : a.entries(attr)) {
            Optional<FlagDecl> f = s.flag(e.string());
            if (f.isEmpty()) {
                d.error(Message.UNKNOWN_FLAG, a.element(), a.mirror(), e.annotationValue(), e.string(), attr,
                        s.className(), s.flags().isEmpty() ? "none" : String.join(", ", s.flagNames()));
            } else if (out.putIfAbsent(f.get().name(), e) != null) {
                d.error(Message.DUPLICATE_FLAG_REF, a.element(), a.mirror(), e.annotationValue(), e.string(), attr);
            }
        }
        return out;
    }

    /** Test bounds over scheduler bounds over defaults; reports every pair out of order. */
    private TopologyConstraints constraints(AnnotationView a, SchedulerModel s, Diagnostics d) {
        PartialConstraints mine = Bounds.constraints(d, a);
        if (mine == null) {
            return null;
        }
        PartialConstraints resolved = mine.over(s.constraints()).over(PartialConstraints.DEFAULTS);
        boolean ok = true;
        for (String what : List.of("NumaNodes", "Llcs", "Cpus")) {
            String minAttr = "min" + what;
            String maxAttr = "max" + what;
            int min = resolved.get(minAttr);
            int max = resolved.get(maxAttr);
            if (min > max) {
                ok = false;
                String at = a.isExplicit(minAttr) ? minAttr : a.isExplicit(maxAttr) ? maxAttr : "scheduler";
                d.error(Message.MIN_EXCEEDS_MAX, a, at, minAttr, min, source(a, minAttr, s), maxAttr, max,
                        source(a, maxAttr, s));
            }
        }
        return ok ? resolved.resolve() : null;
    }

    /** Where an inherited bound came from, for the message ({@code ""} when the test set it). */
    private static String source(AnnotationView a, String attr, SchedulerModel s) {
        if (a.isExplicit(attr)) {
            return "";
        }
        return s.constraints().get(attr) != Bounds.INHERIT ? ", from scheduler " + s.name() : ", the default";
    }

    /**
     * A gauntlet needs at least one preset and a bounded number of profiles. It always has a profile:
     * the required flags plus everything they need, which the checks above keep clear of excluded
     * flags, and which the scheduler's validation keeps acyclic.
     */
    private static boolean expandable(AnnotationView a, SchedulerModel s, FlagLists flags,
            TopologyConstraints constraints, Diagnostics d) {
        Set<String> required = new LinkedHashSet<>(flags.required());
        Set<String> excluded = new LinkedHashSet<>(flags.excluded());
        int optional = FlagProfiles.optionalCount(s.flags(), required, excluded);
        if (optional > FlagProfiles.MAX_OPTIONAL_FLAGS) {
            d.error(Message.TOO_MANY_FLAGS, a, "scheduler", a.element().getSimpleName() + " expands over " + optional
                    + " optional flags of " + s.name() + ", more than " + FlagProfiles.MAX_OPTIONAL_FLAGS
                    + " (2^" + optional + " profiles): require or exclude some with requiredFlags/excludedFlags");
            return false;
        }
        if (Presets.accepted(constraints).isEmpty()) {
            d.error(Message.NO_PRESET, a.element(), a.mirror(), null, describe(constraints));
            return false;
        }
        return true;
    }

    private static String describe(TopologyConstraints c) {
        return "numaNodes " + c.minNumaNodes() + ".." + c.maxNumaNodes() + ", llcs " + c.minLlcs() + ".."
                + c.maxLlcs() + ", cpus " + c.minCpus() + ".." + c.maxCpus() + (c.requiresSmt() ? ", SMT" : "")
                + " (" + Presets.X86_64.size() + " presets, from 4 to 252 CPUs)";
    }
}

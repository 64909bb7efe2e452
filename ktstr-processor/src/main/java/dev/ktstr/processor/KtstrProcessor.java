package dev.ktstr.processor;

import com.google.auto.service.AutoService;
import dev.ktstr.annotations.Flag;
import dev.ktstr.annotations.KtstrTest;
import dev.ktstr.annotations.Scheduler;
import dev.ktstr.processor.generate.GeneratedFiles;
import dev.ktstr.processor.model.ClassPlan;
import dev.ktstr.processor.model.TestModel;
import dev.ktstr.processor.validate.AnnotationView;
import dev.ktstr.processor.validate.Diagnostic;
import dev.ktstr.processor.validate.Diagnostics;
import dev.ktstr.processor.validate.Message;
import dev.ktstr.processor.validate.SchedulerRegistry;
import dev.ktstr.processor.validate.TestValidator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * Compiles {@code @Scheduler} enums and {@code @KtstrTest} methods into JUnit 5 tests: validates
 * them (errors with stable ids on the exact annotation value), expands every test into its base test
 * and gauntlet variants, and writes {@code <Class>_KtstrIT}, {@code <Class>_KtstrHostTest} and the
 * class's variant manifest. Each test class is generated in the round it appears in, and only when
 * all of its tests are valid; a failure inside the processor becomes a diagnostic, never a javac
 * crash.
 */
@AutoService(Processor.class)
public final class KtstrProcessor extends AbstractProcessor {

    /** The most test methods one generated class may hold (class-file constant pool headroom). */
    public static final int MAX_METHODS_PER_CLASS = 10_000;

    private Messager messager;
    private SchedulerRegistry schedulers;
    private TestValidator tests;
    private GeneratedFiles files;
    /** Test name → the class that first used it, across rounds, for the id-collision warning. */
    private final Map<String, String> testNames = new HashMap<>();

    @Override
    public synchronized void init(ProcessingEnvironment env) {
        super.init(env);
        messager = env.getMessager();
        schedulers = new SchedulerRegistry();
        tests = new TestValidator(env.getElementUtils(), env.getTypeUtils(), schedulers);
        boolean marker = env.getElementUtils().getTypeElement("javax.annotation.processing.Generated") != null;
        files = new GeneratedFiles(env.getFiler(), marker);
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of(Scheduler.class.getCanonicalName(), Flag.class.getCanonicalName(),
                KtstrTest.class.getCanonicalName());
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        try {
            schedulers(round);
            flags(round);
            tests(round);
        } catch (RuntimeException e) {
            internalError(null, "this round", e);
        }
        return true; // ktstr's annotations are ktstr's alone

    }

    private void schedulers(RoundEnvironment round) {
        for (Element e : sorted(round.getElementsAnnotatedWith(Scheduler.class))) {
            schedulers.validateSource((TypeElement) e).forEach(this::print);
        }
    }

    /** A {@code @Flag} outside a scheduler enum would otherwise be silently ignored. */
    private void flags(RoundEnvironment round) {
        Diagnostics d = new Diagnostics();
        for (Element e : sorted(round.getElementsAnnotatedWith(Flag.class))) {
            Element owner = e.getEnclosingElement();
            AnnotationView flag = AnnotationView.find(e, Flag.class.getCanonicalName()).orElseThrow();
            boolean inScheduler = owner.getKind() == ElementKind.ENUM
                    && AnnotationView.find(owner, Scheduler.class.getCanonicalName()).isPresent();
            if (!inScheduler) {
                d.error(Message.FLAG_OUTSIDE_SCHEDULER, e, flag.mirror(), null, owner.getSimpleName() + "." + e.getSimpleName());
            } else if (e.getKind() != ElementKind.ENUM_CONSTANT) {
                d.error(Message.FLAG_NOT_CONSTANT, e, flag.mirror(), null, owner.getSimpleName() + "." + e.getSimpleName());
            }
        }
        d.all().forEach(this::print);
    }

    private void tests(RoundEnvironment round) {
        Map<String, List<ExecutableElement>> byClass = new TreeMap<>();
        Map<String, TypeElement> classes = new HashMap<>();
        for (Element e : round.getElementsAnnotatedWith(KtstrTest.class)) {
            TypeElement owner = (TypeElement) e.getEnclosingElement();
            String key = processingEnv.getElementUtils().getBinaryName(owner).toString();
            classes.put(key, owner);
            byClass.computeIfAbsent(key, k -> new ArrayList<>()).add((ExecutableElement) e);
        }
        byClass.forEach((key, methods) -> {
            TypeElement owner = classes.get(key);
            List<Element> order = List.copyOf(owner.getEnclosedElements());
            methods.sort(Comparator.comparingInt(order::indexOf));
            try {
                testClass(owner, methods);
            } catch (RuntimeException e) {
                internalError(owner, owner.getQualifiedName(), e);
            }
        });
    }

    private void testClass(TypeElement owner, List<ExecutableElement> methods) {
        Diagnostics d = new Diagnostics();
        List<TestModel> models = new ArrayList<>();
        Map<String, ExecutableElement> names = new HashMap<>();
        boolean complete = true;
        for (ExecutableElement m : methods) {
            String name = m.getSimpleName().toString();
            if (names.putIfAbsent(name, m) != null) {
                d.error(Message.DUPLICATE_TEST, m, null, null, owner.getSimpleName(), name);
                complete = false;
                continue;
            }
            Optional<TestModel> t = tests.validate(m, d);
            t.ifPresent(models::add);
            complete &= t.isPresent();
        }
        if (complete && !d.hasErrors()) {
            ClassPlan plan = ClassPlan.of(tests.ref(owner), models);
            if (plan.vm().size() > MAX_METHODS_PER_CLASS || plan.host().size() > MAX_METHODS_PER_CLASS) {
                d.error(Message.TOO_MANY_VARIANTS, owner, null, null, owner.getSimpleName(),
                        Math.max(plan.vm().size(), plan.host().size()),
                        plan.vm().size() > MAX_METHODS_PER_CLASS ? owner.getSimpleName() + ClassPlan.VM_SUFFIX
                                : owner.getSimpleName() + ClassPlan.HOST_SUFFIX,
                        MAX_METHODS_PER_CLASS);
            } else {
                warnOnSharedNames(plan, methods, d);
                write(plan, owner, d);
            }
        }
        d.all().forEach(this::print);
    }

    private void warnOnSharedNames(ClassPlan plan, List<ExecutableElement> methods, Diagnostics d) {
        String mine = plan.testClass().canonicalName();
        for (ExecutableElement m : methods) {
            String name = m.getSimpleName().toString();
            String other = testNames.putIfAbsent(name, mine);
            if (other != null && !other.equals(mine)) {
                AnnotationView a = AnnotationView.find(m, KtstrTest.class.getCanonicalName()).orElseThrow();
                d.warning(Message.DUPLICATE_TEST_NAME, m, a.mirror(), null, name, other + "." + name, name);
            }
        }
    }

    private void write(ClassPlan plan, TypeElement owner, Diagnostics d) {
        Set<Element> originating = new LinkedHashSet<>();
        originating.add(owner);
        for (TestModel t : plan.tests()) {
            TypeElement s = processingEnv.getElementUtils().getTypeElement(t.scheduler().className());
            if (s != null && schedulers.lookup(s).fromSource()) {
                originating.add(s);
            }
        }
        try {
            files.write(plan, List.copyOf(originating));
        } catch (IOException e) {
            d.error(Message.WRITE_FAILED, owner, null, null, "the ktstr tests of " + owner.getQualifiedName(),
                    e.getMessage());
        }
    }

    private void print(Diagnostic x) {
        if (x.value() != null) {
            messager.printMessage(x.kind(), x.text(), x.element(), x.mirror(), x.value());
        } else if (x.mirror() != null) {
            messager.printMessage(x.kind(), x.text(), x.element(), x.mirror());
        } else if (x.element() != null) {
            messager.printMessage(x.kind(), x.text(), x.element());
        } else {
            messager.printMessage(x.kind(), x.text());
        }
    }

    /** A bug in the processor becomes an error naming it and where it happened, not a javac crash. */
    private void internalError(Element at, Object subject, RuntimeException e) {
        StackTraceElement[] trace = e.getStackTrace();
        Diagnostics d = new Diagnostics();
        d.error(Message.INTERNAL_ERROR, at, null, null, subject, e + (trace.length > 0 ? " at " + trace[0] : ""));
        d.all().forEach(this::print);
    }

    private static List<Element> sorted(Set<? extends Element> elements) {
        List<Element> out = new ArrayList<>(elements);
        out.sort(Comparator.comparing(Object::toString));
        return out;
    }
}

package dev.ktstr.runtime.cli.scenario;

import dev.ktstr.annotations.KernelDefault;
import dev.ktstr.annotations.KtstrTest;
import dev.ktstr.annotations.Scheduler;
import dev.ktstr.runtime.checks.Thresholds;
import dev.ktstr.runtime.scenario.DidYouMean;
import dev.ktstr.runtime.scenario.canned.Catalog;
import dev.ktstr.runtime.scenario.canned.CatalogEntry;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ktstr show-thresholds TEST_OR_SCENARIO} (ktstr facts §8): the merged check thresholds —
 * defaults, then the scheduler's {@code @Scheduler(checks = …)}, then the test's attributes for a
 * {@code @KtstrTest} method; defaults then the scenario's own for a catalog scenario — one row per
 * threshold, unset shown as {@code none}.
 */
@Command(name = "show-thresholds", mixinStandardHelpOptions = true,
        description = "Show the merged check thresholds of a test (Class#method) or a catalog scenario.")
public final class ShowThresholdsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "TEST_OR_SCENARIO",
            description = "A test as fully.qualified.Class#method, or a catalog scenario name.")
    String name;

    private final TestLocator locator;

    public ShowThresholdsCommand() {
        this(new ReflectiveTestLocator());
    }

    public ShowThresholdsCommand(TestLocator locator) {
        this.locator = Objects.requireNonNull(locator, "locator");
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Optional<Method> test = locator.find(name);
        if (test.isPresent()) {
            out.print(forTest(test.get()));
        } else {
            Optional<CatalogEntry> entry = Catalog.find(name);
            if (entry.isEmpty()) {
                List<String> known = new ArrayList<>(Catalog.names());
                known.addAll(locator.knownNames());
                throw new ParameterException(spec.commandLine(), "no test or scenario named '" + name + "'"
                        + DidYouMean.hint(name, known)
                        + "; give a test as fully.qualified.Class#method or a scenario from 'ktstr list'");
            }
            out.print(forScenario(entry.get()));
        }
        out.flush();
        return 0;
    }

    /** The report for a test method. */
    public static String forTest(Method m) {
        KtstrTest t = m.getAnnotation(KtstrTest.class);
        Class<?> schedulerEnum = t.scheduler();
        Scheduler s = schedulerEnum.getAnnotation(Scheduler.class);
        String scheduler = s == null ? schedulerEnum.getName() + " (no @Scheduler)"
                : s.name() + (schedulerEnum == KernelDefault.class ? " (kernel default)" : " (" + schedulerEnum.getName() + ")");
        return "Test: " + m.getDeclaringClass().getName() + "#" + m.getName() + "\n"
                + "Scheduler: " + scheduler + "\n"
                + "Resolved assertion thresholds:\n"
                + Thresholds.effective(null, Thresholds.of(s), Thresholds.of(t)).format()
                + "(a scenario the test runs may add its own layer between the defaults and the scheduler's)\n";
    }

    /** The report for a catalog scenario. */
    public static String forScenario(CatalogEntry e) {
        return "Scenario: " + e.name() + " (" + e.category().id() + ")\n"
                + "Scheduler: whichever 'ktstr run' runs under (its @Scheduler checks do not apply)\n"
                + "Resolved assertion thresholds:\n"
                + Thresholds.effective(e.scenario().checks(), null, null).format();
    }
}

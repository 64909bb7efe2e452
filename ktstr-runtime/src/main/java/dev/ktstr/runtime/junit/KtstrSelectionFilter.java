package dev.ktstr.runtime.junit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.PostDiscoveryFilter;

/**
 * Keeps the generated test methods that {@code -Dktstr.budget.secs} and {@code -Dktstr.shard} select
 * and drops the others, after JUnit has discovered them. Registered by ServiceLoader
 * ({@code META-INF/services/org.junit.platform.launcher.PostDiscoveryFilter}), so Surefire, Failsafe
 * and IDEs pick it up from the test classpath. It decides from the manifests alone, never from what
 * this fork happened to discover, so every fork computes the same plan; methods that are not in any
 * manifest (ordinary tests) pass untouched. The plan's summary is printed once per JVM.
 */
public final class KtstrSelectionFilter implements PostDiscoveryFilter {

    private record PlanKey(ClassLoader loader, SelectionSettings settings) {}

    private static final Map<PlanKey, SelectionPlan> PLANS = new ConcurrentHashMap<>();
    private static final AtomicBoolean PRINTED = new AtomicBoolean();

    @Override
    public FilterResult apply(TestDescriptor descriptor) {
        if (!(descriptor.getSource().orElse(null) instanceof MethodSource m)) {
            return FilterResult.included("not a test method");
        }
        SelectionSettings settings = SelectionSettings.current();
        if (!settings.active()) {
            return FilterResult.included("no ktstr budget or shard set");
        }
        return plan(settings).runs(m.getClassName(), m.getMethodName())
                ? FilterResult.included("selected by ktstr")
                : FilterResult.excluded("not selected by " + describe(settings));
    }

    private static SelectionPlan plan(SelectionSettings settings) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = KtstrSelectionFilter.class.getClassLoader();
        }
        SelectionPlan plan = PLANS.computeIfAbsent(new PlanKey(loader, settings),
                k -> SelectionPlan.of(VariantManifests.of(k.loader()), k.settings()));
        if (!plan.summary().isEmpty() && PRINTED.compareAndSet(false, true)) {
            plan.summary().forEach(System.err::println);
        }
        return plan;
    }

    private static String describe(SelectionSettings s) {
        StringBuilder sb = new StringBuilder();
        s.budgetSecs().ifPresent(b -> sb.append("ktstr.budget.secs=").append(b));
        if (s.shard() != null) {
            sb.append(sb.length() > 0 ? ", " : "").append("ktstr.shard=").append(s.shard());
        }
        return sb.toString();
    }
}

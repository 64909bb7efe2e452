package dev.ktstr.runtime.junit;

import java.lang.reflect.Method;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips — never passes, never fails — generated tests this host cannot run, with the reason in the
 * report. The processor registers it on every generated class with {@code @ExtendWith}. For a class
 * with VM variants it asks {@link VmEnvironment#unavailableReason()} once; for each VM variant it asks
 * {@link VmEnvironment#cannotRun} with the variant's topology and memory from the manifest.
 * Host-only tests need no VM and are not gated; methods that are in no manifest are left alone.
 */
public final class KtstrEnvironmentCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<Class<?>> type = context.getTestClass();
        if (type.isEmpty()) {
            return ConditionEvaluationResult.enabled("not a test class");
        }
        ClassLoader loader = type.get().getClassLoader();
        VariantManifests manifests = VariantManifests.of(loader);
        VmEnvironment env = VmEnvironments.of(loader);
        Optional<Method> method = context.getTestMethod();
        if (method.isEmpty()) {
            if (!manifests.needsVm(type.get().getName())) {
                return ConditionEvaluationResult.enabled("no VM variants");
            }
            return env.unavailableReason()
                    .map(r -> ConditionEvaluationResult.disabled("ktstr: " + r))
                    .orElseGet(() -> ConditionEvaluationResult.enabled("VMs can run here"));
        }
        Optional<ManifestEntry> entry = manifests.find(type.get().getName(), method.get().getName());
        if (entry.isEmpty()) {
            return ConditionEvaluationResult.enabled("not a ktstr variant");
        }
        ManifestEntry e = entry.get();
        if (e.hostOnly()) {
            return ConditionEvaluationResult.enabled("host-only: needs no VM");
        }
        Optional<String> reason = env.unavailableReason().or(() -> env.cannotRun(e.topology(), e.memoryMb()));
        return reason.map(r -> ConditionEvaluationResult.disabled("ktstr " + e.id() + " (" + e.topology() + ", "
                        + e.memoryMb() + " MiB): " + r))
                .orElseGet(() -> ConditionEvaluationResult.enabled("this host can run " + e.topology()));
    }
}

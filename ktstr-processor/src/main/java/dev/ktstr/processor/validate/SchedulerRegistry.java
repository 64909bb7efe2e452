package dev.ktstr.processor.validate;

import dev.ktstr.processor.model.SchedulerModel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.TypeElement;

/**
 * Every scheduler the processor has met, validated once per compilation. Schedulers compiled in this
 * compilation report their own mistakes where they are written; schedulers from the classpath cannot
 * be pointed at, so a test naming a broken one gets a single error on its {@code scheduler} value.
 */
public final class SchedulerRegistry {

    /**
     * What is known about one scheduler.
     *
     * @param model       the model, empty when it has errors
     * @param diagnostics what validating it found
     * @param fromSource  whether it is compiled in this compilation (its errors are reported in place)
     */
    public record Entry(Optional<SchedulerModel> model, List<Diagnostic> diagnostics, boolean fromSource) {

        /** The first error's text without its id, to quote in a test's error. */
        public String firstProblem() {
            return diagnostics.stream()
                    .filter(x -> x.kind() == javax.tools.Diagnostic.Kind.ERROR)
                    .map(x -> x.text().substring(x.text().indexOf(']') + 2))
                    .findFirst()
                    .orElse("no details");
        }
    }

    private final Map<String, Entry> known = new HashMap<>();

    /**
     * Validates a scheduler declared in this compilation, the first time it is seen; returns the
     * diagnostics to print (none on later calls).
     */
    public List<Diagnostic> validateSource(TypeElement type) {
        String key = type.getQualifiedName().toString();
        if (known.containsKey(key) && known.get(key).fromSource()) {
            return List.of();
        }
        Diagnostics d = new Diagnostics();
        Optional<SchedulerModel> model = SchedulerValidator.validate(type, d);
        known.put(key, new Entry(model, d.all(), true));
        return d.all();
    }

    /** The scheduler's entry, validating it (as a classpath scheduler) if not yet seen. */
    public Entry lookup(TypeElement type) {
        return known.computeIfAbsent(type.getQualifiedName().toString(), k -> {
            Diagnostics d = new Diagnostics();
            Optional<SchedulerModel> model = SchedulerValidator.validate(type, d);
            return new Entry(model, d.all(), false);
        });
    }
}

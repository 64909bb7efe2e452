package dev.ktstr.processor.validate;

import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic.Kind;

/**
 * A collector of {@link Diagnostic}s: validators report into it and continue, so one compile shows
 * every mistake; callers then ask {@link #hasErrors()} to decide whether to abandon a type.
 */
public final class Diagnostics {

    private final List<Diagnostic> all = new ArrayList<>();
    private int errors;

    public void error(Message m, Element e, AnnotationMirror a, AnnotationValue v, Object... args) {
        all.add(new Diagnostic(Kind.ERROR, m, m.format(args), e, a, v));
        errors++;
    }

    public void error(Message m, AnnotationView at, String attribute, Object... args) {
        error(m, at.element(), at.mirror(), at.value(attribute), args);
    }

    public void warning(Message m, Element e, AnnotationMirror a, AnnotationValue v, Object... args) {
        all.add(new Diagnostic(Kind.WARNING, m, m.format(args), e, a, v));
    }

    public boolean hasErrors() {
        return errors > 0;
    }

    public int errorCount() {
        return errors;
    }

    public List<Diagnostic> all() {
        return List.copyOf(all);
    }

    /** Adds everything {@code other} collected. */
    public void addAll(Diagnostics other) {
        all.addAll(other.all);
        errors += other.errors;
    }
}

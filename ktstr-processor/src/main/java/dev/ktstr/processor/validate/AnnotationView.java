package dev.ktstr.processor.validate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;

/**
 * Typed, default-aware access to one annotation on one element, keeping hold of the
 * {@link AnnotationValue}s so a diagnostic can point at the exact value. Works the same for
 * annotations read from source and from class files.
 */
public final class AnnotationView {

    private final Element element;
    private final AnnotationMirror mirror;
    private final Map<String, AnnotationValue> explicit = new HashMap<>();
    private final Map<String, AnnotationValue> defaults = new HashMap<>();

    private AnnotationView(Element element, AnnotationMirror mirror) {
        this.element = element;
        this.mirror = mirror;
        mirror.getElementValues().forEach((k, v) -> explicit.put(k.getSimpleName().toString(), v));
        for (ExecutableElement m : ElementFilter.methodsIn(mirror.getAnnotationType().asElement().getEnclosedElements())) {
            if (m.getDefaultValue() != null) {
                defaults.put(m.getSimpleName().toString(), m.getDefaultValue());
            }
        }
    }

    /** The annotation of type {@code qualifiedName} on {@code element}, if present. */
    public static Optional<AnnotationView> find(Element element, String qualifiedName) {
        for (AnnotationMirror m : element.getAnnotationMirrors()) {
            Element type = m.getAnnotationType().asElement();
            if (type instanceof TypeElement t && t.getQualifiedName().contentEquals(qualifiedName)) {
                return Optional.of(new AnnotationView(element, m));
            }
        }
        return Optional.empty();
    }

    /** A view of {@code mirror}, an annotation nested in one of {@code element}'s annotations. */
    public static AnnotationView nested(Element element, AnnotationMirror mirror) {
        return new AnnotationView(element, mirror);
    }

    public Element element() {
        return element;
    }

    public AnnotationMirror mirror() {
        return mirror;
    }

    /**
     * Whether javac could not evaluate some written-out value (an undefined constant, an unresolved
     * class): it reports that itself and hands processors the placeholder {@code "<error>"} or an error
     * type, which must not be validated as if the user had written it.
     */
    public boolean erroneous() {
        for (AnnotationValue v : explicit.values()) {
            if (erroneous(v.getValue())) {
                return true;
            }
        }
        return false;
    }

    private static boolean erroneous(Object v) {
        if (v instanceof TypeMirror t) {
            return t.getKind() == TypeKind.ERROR;
        }
        if (v instanceof List<?> list) {
            for (Object o : list) {
                if (erroneous(((AnnotationValue) o).getValue())) {
                    return true;
                }
            }
            return false;
        }
        if (v instanceof AnnotationMirror m) {
            for (AnnotationValue x : m.getElementValues().values()) {
                if (erroneous(x.getValue())) {
                    return true;
                }
            }
            return false;
        }
        return "<error>".equals(v);
    }

    /** Whether the attribute is written out in the annotation (not left at its default). */
    public boolean isExplicit(String name) {
        return explicit.containsKey(name);
    }

    /** The attribute's value, its default when not written out. */
    public AnnotationValue value(String name) {
        AnnotationValue v = explicit.containsKey(name) ? explicit.get(name) : defaults.get(name);
        if (v == null) {
            throw new IllegalArgumentException("@" + mirror.getAnnotationType() + " has no attribute " + name);
        }
        return v;
    }

    public int intValue(String name) {
        return ((Number) value(name).getValue()).intValue();
    }

    public long longValue(String name) {
        return ((Number) value(name).getValue()).longValue();
    }

    public double doubleValue(String name) {
        return ((Number) value(name).getValue()).doubleValue();
    }

    public boolean boolValue(String name) {
        return (Boolean) value(name).getValue();
    }

    public String stringValue(String name) {
        return (String) value(name).getValue();
    }

    /** The simple name of an enum-valued attribute's constant. */
    public String enumValue(String name) {
        return ((VariableElement) value(name).getValue()).getSimpleName().toString();
    }

    /** A class-valued attribute; empty when javac could not resolve it (it reports that itself). */
    public Optional<TypeMirror> typeValue(String name) {
        Object v = value(name).getValue();
        return v instanceof TypeMirror t ? Optional.of(t) : Optional.empty();
    }

    /** A nested annotation, viewed on the same element so its diagnostics land inside this one. */
    public AnnotationView annotation(String name) {
        return nested(element, (AnnotationMirror) value(name).getValue());
    }

    /** The entries of an array-valued attribute (a single value counts as a one-entry array). */
    public List<Entry> entries(String name) {
        AnnotationValue v = value(name);
        List<Entry> out = new ArrayList<>();
        if (v.getValue() instanceof List<?> list) {
            for (Object o : list) {
                AnnotationValue av = (AnnotationValue) o;
                out.add(new Entry(av.getValue(), av));
            }
        } else {
            out.add(new Entry(v.getValue(), v));
        }
        return out;
    }

    /** The string entries of a {@code String[]} attribute. */
    public List<String> strings(String name) {
        return entries(name).stream().map(e -> (String) e.value()).toList();
    }

    /** One entry of an array attribute with its own {@link AnnotationValue} for precise diagnostics. */
    public record Entry(Object value, AnnotationValue annotationValue) {

        public String string() {
            return (String) value;
        }

        public AnnotationMirror annotation() {
            return (AnnotationMirror) value;
        }
    }
}

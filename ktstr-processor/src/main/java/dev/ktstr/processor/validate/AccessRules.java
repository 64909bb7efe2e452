package dev.ktstr.processor.validate;

import java.util.List;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Whether generated code can call a {@code @KtstrTest} method. The generated class sits in the test
 * class's package, so it reaches anything not private; an instance method also needs a class it can
 * instantiate with {@code new T()}, and a test body may only throw exceptions (the runtime's
 * {@code TestBody.run} declares {@code throws Exception}).
 */
final class AccessRules {

    private AccessRules() {}

    /** Reports every reason {@code method} of {@code type} cannot be called. */
    static void check(Diagnostics d, ExecutableElement method, TypeElement type, AnnotationView a,
            Elements elements, Types types) {
        String m = type.getSimpleName() + "." + method.getSimpleName();
        if (method.getModifiers().contains(Modifier.PRIVATE)) {
            d.error(Message.PRIVATE_METHOD, method, null, null, m);
        }
        String pkg = elements.getPackageOf(type).getQualifiedName().toString();
        for (Element t = type; t instanceof TypeElement te; t = t.getEnclosingElement()) {
            String why = unreachable(te);
            if (why != null) {
                d.error(Message.INACCESSIBLE_CLASS, method, null, null, m, te.getQualifiedName().isEmpty()
                        ? te.getSimpleName() : te.getQualifiedName(), why, pkg);
                return;
            }
        }
        checkThrows(d, method, a, m, method.getThrownTypes(), elements, types);
        if (!method.getModifiers().contains(Modifier.STATIC)) {
            instantiable(d, method, type, a, m, elements, types);
        }
    }

    private static String unreachable(TypeElement t) {
        if (t.getNestingKind() == NestingKind.LOCAL || t.getNestingKind() == NestingKind.ANONYMOUS) {
            return "is " + (t.getNestingKind() == NestingKind.LOCAL ? "a local" : "an anonymous") + " class";
        }
        if (t.getModifiers().contains(Modifier.PRIVATE)) {
            return "is private";
        }
        return null;
    }

    private static void instantiable(Diagnostics d, ExecutableElement method, TypeElement type, AnnotationView a,
            String m, Elements elements, Types types) {
        ElementKind kind = type.getKind();
        if (kind != ElementKind.CLASS && !kind.name().equals("RECORD")) {
            d.error(Message.NOT_INSTANTIABLE, method, null, null, m, type.getSimpleName(),
                    "is " + article(kind) + " and cannot be instantiated");
            return;
        }
        if (type.getModifiers().contains(Modifier.ABSTRACT)) {
            d.error(Message.NOT_INSTANTIABLE, method, null, null, m, type.getSimpleName(), "is abstract");
            return;
        }
        if (type.getNestingKind() == NestingKind.MEMBER && !type.getModifiers().contains(Modifier.STATIC)) {
            d.error(Message.INNER_CLASS, method, null, null, m, type.getSimpleName());
            return;
        }
        List<ExecutableElement> ctors = ElementFilter.constructorsIn(type.getEnclosedElements());
        ExecutableElement noArg = ctors.stream()
                .filter(c -> c.getParameters().isEmpty() && !c.getModifiers().contains(Modifier.PRIVATE))
                .findFirst()
                .orElse(null);
        if (noArg == null) {
            d.error(Message.NO_NOARG_CONSTRUCTOR, method, null, null, type.getSimpleName(), m);
            return;
        }
        checkThrows(d, method, a, "the no-argument constructor of " + type.getSimpleName(), noArg.getThrownTypes(),
                elements, types);
    }

    private static void checkThrows(Diagnostics d, ExecutableElement method, AnnotationView a, String what,
            List<? extends TypeMirror> thrown, Elements elements, Types types) {
        TypeMirror exception = elements.getTypeElement("java.lang.Exception").asType();
        TypeMirror error = elements.getTypeElement("java.lang.Error").asType();
        for (TypeMirror t : thrown) {
            if (!types.isAssignable(t, exception) && !types.isAssignable(t, error)) {
                d.error(Message.BAD_THROWS, method, null, null, what, t);
            }
        }
    }

    /** "a class", "an interface", "an enum", "an annotation type", "a record". */
    static String article(ElementKind kind) {
        String k = kind == ElementKind.ANNOTATION_TYPE ? "annotation type"
                : kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        return ("aeiou".indexOf(k.charAt(0)) >= 0 ? "an " : "a ") + k;
    }
}

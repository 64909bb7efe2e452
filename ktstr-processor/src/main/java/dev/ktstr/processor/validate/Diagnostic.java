package dev.ktstr.processor.validate;

import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic.Kind;

/**
 * One thing the processor has to say, placed as precisely as it knows: on an element, on one of its
 * annotations, and on one value of that annotation (each may be {@code null} when coarser).
 *
 * @param kind     error or warning
 * @param message  its catalogue entry
 * @param text     the formatted text, starting with the bracketed id
 */
public record Diagnostic(
        Kind kind, Message message, String text, Element element, AnnotationMirror mirror, AnnotationValue value) {}

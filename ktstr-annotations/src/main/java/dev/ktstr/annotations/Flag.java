package dev.ktstr.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One optional feature of a scheduler, on a constant of a {@link Scheduler} enum. Its user-facing name
 * is the kebab-case of the constant, acronym-aware ({@code REJECT_PIN} and {@code RejectPin} become
 * {@code reject-pin}, {@code HTTPServer} becomes {@code http-server}). Every constant of a scheduler
 * enum is a flag; {@code @Flag} gives it arguments and requirements.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Flag {
    /** Scheduler command-line arguments this flag adds, e.g. {@code {"--enable-llc-awareness"}}. */
    String[] args() default {};

    /**
     * Other flags of the same enum that must be active whenever this one is, by constant name
     * ({@code "LLC"}) or flag name ({@code "llc"}). Requirements must not form a cycle.
     */
    String[] requires() default {};
}

package dev.ktstr.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One optional feature of a scheduler, on a constant of a {@link Scheduler} enum. Its user-facing name
 * is the kebab-case of the constant ({@code REJECT_PIN} becomes {@code reject-pin}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Flag {
    /** Scheduler command-line arguments this flag adds, e.g. {@code {"--enable-llc-awareness"}}. */
    String[] args() default {};

    /** Other constants of the same enum that must be active whenever this one is (constant names). */
    String[] requires() default {};
}

package dev.ktstr.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A VM shape: {@code numaNodes} nodes, {@code llcs} LLCs in total, cores per LLC, threads per core. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface Topology {
    int numaNodes() default 1;

    int llcs() default 1;

    int cores() default 2;

    int threads() default 1;
}

package dev.ktstr.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A guest sysctl the scheduler needs, e.g. {@code @Sysctl(key = "kernel.sched_rr_timeslice_ms", value = "10")}. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface Sysctl {
    String key();

    String value();
}

package dev.ktstr.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a scheduler under test on an enum; each constant is one of its flags (see {@link Flag}).
 * A test over it expands into every valid combination of those flags (its profiles) on every accepted
 * topology preset.
 *
 * <pre>{@code
 * @Scheduler(name = "mitosis", binary = "scx_mitosis", topology = @Topology(llcs = 2, cores = 4),
 *            schedArgs = {"--exit-dump-len", "1048576"})
 * public enum MitosisFlag {
 *     @Flag(args = "--enable-llc-awareness") LLC,
 *     @Flag(args = "--enable-work-stealing", requires = "LLC") STEAL,
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Scheduler {
    /** The scheduler's name: the sched_ext ops name it registers, and its name in results. */
    String name();

    /**
     * The scheduler binary: a file name found by discovery ({@code KTSTR_SCHEDULER_DIR}, the scheduler
     * cache) or a path. Empty means the kernel's default scheduler (EEVDF).
     */
    String binary() default "";

    /** Default topology for tests of this scheduler; each test attribute left unset inherits from here. */
    Topology topology() default @Topology;

    /** Arguments always passed to the scheduler, before test and flag arguments. */
    String[] schedArgs() default {};

    /** Sysctls applied in the guest before the scheduler starts. */
    Sysctl[] sysctls() default {};

    /** Extra kernel command-line arguments. */
    String[] kargs() default {};

    /** A cgroup parent the scheduler manages (passed as {@code --cell-parent-cgroup}); empty for none. */
    String cgroupParent() default "";

    /** A config file shipped into the guest and passed as {@code --config /include-files/<name>}. */
    String configFile() default "";

    int minNumaNodes() default KtstrTest.INHERIT;

    int maxNumaNodes() default KtstrTest.INHERIT;

    int minLlcs() default KtstrTest.INHERIT;

    int maxLlcs() default KtstrTest.INHERIT;

    int minCpus() default KtstrTest.INHERIT;

    int maxCpus() default KtstrTest.INHERIT;

    boolean requiresSmt() default false;

    /** Check thresholds this scheduler sets for all its tests (tests may override each). */
    Checks checks() default @Checks;
}

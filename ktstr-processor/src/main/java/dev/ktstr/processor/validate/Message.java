package dev.ktstr.processor.validate;

import java.util.Locale;

/**
 * The catalogue of everything the processor can say. Each message has a stable id, printed in
 * brackets at its start ({@code [KtstrUnknownFlag] ...}), and a {@link String#format} pattern.
 * Ids are part of the contract: tests assert them and users search for them.
 */
public enum Message {
    // --- schedulers and flags ------------------------------------------------------------------
    SCHEDULER_NOT_ENUM("KtstrSchedulerNotEnum",
            "@Scheduler belongs on an enum whose constants are the scheduler's flags, but %s is %s"),
    SCHEDULER_NAME("KtstrSchedulerName",
            "scheduler name '%s' must be letters, digits, '_', '.' or '-' (it becomes test tags and result keys)"),
    FLAG_OUTSIDE_SCHEDULER("KtstrFlagOutsideScheduler",
            "@Flag on %s, which is not in an enum annotated @Scheduler: flags are constants of a scheduler enum"),
    FLAG_NOT_CONSTANT("KtstrFlagNotConstant", "@Flag on field %s: only enum constants are flags"),
    DUPLICATE_FLAG_NAME("KtstrDuplicateFlagName", "flags %s and %s both have the name '%s'"),
    UNKNOWN_FLAG("KtstrUnknownFlag", "'%s' in %s is not a flag of %s (its flags: %s)"),
    DUPLICATE_FLAG_REF("KtstrDuplicateFlagRef", "flag '%s' is listed twice in %s"),
    FLAG_CYCLE("KtstrFlagCycle", "flag requirements form a cycle: %s; a flag cannot need itself"),
    DUPLICATE_FLAG_ARG("KtstrDuplicateFlagArg",
            "flag '%s' passes %s, which flag '%s' also passes: a profile with both would pass it twice"),
    FLAG_NO_ARGS("KtstrFlagNoArgs",
            "flag '%s' passes no scheduler arguments, so every profile with it runs the same scheduler as without it"),
    TOO_MANY_FLAGS("KtstrTooManyFlags", "%s"),
    BLANK_ARG("KtstrBlankArg", "%s has a blank entry at index %d"),
    BAD_SYSCTL("KtstrBadSysctl", "sysctl %s '%s' %s"),

    // --- sizes, bounds, thresholds --------------------------------------------------------------
    BAD_SIZE("KtstrBadSize", "%s must be positive, got %s"),
    LLCS_NOT_MULTIPLE("KtstrLlcsNotMultipleOfNuma",
            "llcs (%d) must be a multiple of numaNodes (%d): every NUMA node holds the same number of LLCs"),
    MIN_EXCEEDS_MAX("KtstrMinExceedsMax", "%s (%d%s) exceeds %s (%d%s)"),
    BAD_THRESHOLD("KtstrBadThreshold", "%s must be %s, got %s"),

    // --- tests ------------------------------------------------------------------------------
    NOT_A_SCHEDULER("KtstrNotAScheduler",
            "%s is not annotated @Scheduler, so it names no scheduler and no flags to expand over"),
    INVALID_SCHEDULER("KtstrInvalidScheduler", "scheduler %s is invalid: %s"),
    REQUIRED_AND_EXCLUDED("KtstrFlagRequiredAndExcluded", "flag '%s' is both required and excluded"),
    REQUIRED_NEEDS_EXCLUDED("KtstrRequiredNeedsExcluded",
            "required flag '%s' needs '%s', which is excluded: no profile can satisfy both"),
    NO_PRESET("KtstrNoPreset", "no gauntlet topology preset satisfies %s"),
    TOO_MANY_VARIANTS("KtstrTooManyVariants",
            "%s expands into %d generated tests in %s, more than %d in one class: narrow the constraints, "
                    + "exclude flags, or split the tests over several classes"),
    BAD_SIGNATURE("KtstrBadSignature", "@KtstrTest method %s must be declared void %s(dev.ktstr.runtime.Ctx ctx): %s"),
    BAD_THROWS("KtstrBadThrows",
            "%s declares throws %s; a test body may throw only exceptions (java.lang.Exception and its subtypes)"),
    PRIVATE_METHOD("KtstrPrivateMethod", "@KtstrTest method %s is private; the generated test in the same package must call it"),
    INACCESSIBLE_CLASS("KtstrInaccessibleClass",
            "@KtstrTest method %s is in %s, which %s: the generated test in package '%s' cannot reach it"),
    INNER_CLASS("KtstrInnerClass",
            "@KtstrTest method %s is an instance method of the inner class %s: make the class static or the method static"),
    NOT_INSTANTIABLE("KtstrNotInstantiable",
            "@KtstrTest method %s is an instance method of %s, which %s: make the method static"),
    NO_NOARG_CONSTRUCTOR("KtstrNoNoArgConstructor",
            "%s has no accessible no-argument constructor, which its instance @KtstrTest method %s needs"),
    DUPLICATE_TEST("KtstrDuplicateTest", "another @KtstrTest method of %s is also named %s: test names must be unique"),
    DUPLICATE_TEST_NAME("KtstrDuplicateTestName",
            "test name %s is also used by %s: their results and variant ids (ktstr/%s) collide"),
    HOST_ONLY_ATTRIBUTE("KtstrHostOnlyAttribute", "%s has no effect on a hostOnly test, which runs without a VM"),

    // --- the processor itself -------------------------------------------------------------------
    WRITE_FAILED("KtstrWriteFailed", "cannot write %s: %s"),
    INTERNAL_ERROR("KtstrInternalError", "the ktstr processor failed on %s (please report it): %s");

    private final String id;
    private final String pattern;

    Message(String id, String pattern) {
        this.id = id;
        this.pattern = pattern;
    }

    /** The stable id, without brackets. */
    public String id() {
        return id;
    }

    /** {@code [Id] } followed by the formatted message. */
    public String format(Object... args) {
        return "[" + id + "] " + String.format(Locale.ROOT, pattern, args);
    }
}

package dev.ktstr.runtime.sched;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The schedulers ktstr builds itself into its scheduler cache: the example schedulers of the
 * kernel's {@code tools/sched_ext} (environment.md) and ktstr's own fixture. Discovery builds them on
 * demand when a test names one of these binaries and neither a path nor {@code KTSTR_SCHEDULER_DIR}
 * provides it.
 *
 * <p>{@code scx_qmap} is built when the tree's version compiles, but it is optional: 7.3.4's is
 * rejected by the verifier at load time ({@code qmap_dequeue}), and a kernel tree whose qmap does not
 * even compile must not fail the whole build.
 */
public enum BuildableScheduler {
    SCX_SIMPLE("scx_simple", "simple", true, "global weighted-vtime or FIFO (-f) queue"),
    SCX_FLATCG("scx_flatcg", "flatcg", true, "flattened cgroup hierarchy, weighted vtime"),
    SCX_CENTRAL("scx_central", "central", true, "one CPU makes every scheduling decision"),
    SCX_USERLAND("scx_userland", "userland", true, "scheduling decisions in a user-space process"),
    SCX_PAIR("scx_pair", "pair", true, "sibling CPUs run tasks of the same cgroup (core scheduling)"),
    SCX_SDT("scx_sdt", "sdt", true, "per-task storage in a BPF arena"),
    SCX_CPU0("scx_cpu0", "cpu0", true, "every task on CPU 0"),
    SCX_QMAP("scx_qmap", "qmap", false, "five FIFO priority queues (the feature showcase)"),
    KTSTR_FIXTURE("ktstr_fixture", "ktstr_fixture", true, "ktstr's fixture: FIFO with the built-in flags, fails on request");

    private final String binary;
    private final String opsName;
    private final boolean required;
    private final String description;

    BuildableScheduler(String binary, String opsName, boolean required, String description) {
        this.binary = binary;
        this.opsName = opsName;
        this.required = required;
        this.description = description;
    }

    /** The binary's file name. */
    public String binary() {
        return binary;
    }

    /** The name it registers with sched_ext ({@code /sys/kernel/sched_ext/root/ops}). */
    public String opsName() {
        return opsName;
    }

    /** Whether a build that cannot produce it fails. */
    public boolean required() {
        return required;
    }

    public String description() {
        return description;
    }

    /**
     * The {@code @Scheduler} enum of the flags ktstr knows for it (the fixture's built-in flags),
     * which turns flag names into its arguments; empty when its options are given literally.
     */
    public Optional<Class<? extends Enum<?>>> knownFlags() {
        return this == KTSTR_FIXTURE ? Optional.of(FixtureBuiltInFlag.class) : Optional.empty();
    }

    /** Whether it comes from the kernel's {@code tools/sched_ext} (not ktstr's own sources). */
    public boolean kernelExample() {
        return this != KTSTR_FIXTURE;
    }

    /**
     * The arguments that make it apply a sched_ext watchdog timeout ({@code ops.timeout_ms}), when it
     * has such an option; empty when it has none (the timeout must then be written into guest memory
     * from the host).
     */
    public List<String> watchdogArgs(Duration timeout) {
        if (this != KTSTR_FIXTURE) {
            return List.of();
        }
        long ms = Math.max(1, Math.min(timeout.toMillis(), MAX_WATCHDOG_MS));
        return List.of("--timeout-ms", Long.toString(ms));
    }

    /** The kernel's upper limit for {@code ops.timeout_ms} (SCX_WATCHDOG_MAX_TIMEOUT, 30 s). */
    public static final long MAX_WATCHDOG_MS = 30_000;

    /** The one whose binary file name is {@code fileName}. */
    public static Optional<BuildableScheduler> byBinary(String fileName) {
        for (BuildableScheduler b : values()) {
            if (b.binary.equals(fileName)) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    /** Binary names, for messages. */
    public static List<String> binaries() {
        return java.util.Arrays.stream(values()).map(BuildableScheduler::binary).toList();
    }
}

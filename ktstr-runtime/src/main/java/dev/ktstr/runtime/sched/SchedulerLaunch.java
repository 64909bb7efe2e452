package dev.ktstr.runtime.sched;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything needed to run one scheduler in one guest: the host binary to ship, the guest path it
 * is shipped to, its merged command line, the ops name sched_ext must report, how long attaching may
 * take, and how the sched_ext watchdog timeout is applied.
 *
 * @param opsName        the name sched_ext must report in {@code root/ops}
 * @param hostBinary     the binary on the host (shipped into the initramfs)
 * @param guestPath      where it is in the guest ({@code /scheduler})
 * @param args           merged arguments ({@link SchedulerDefinition#arguments}) plus the watchdog option
 * @param env            extra {@code KEY=VALUE} environment
 * @param attachTimeout  how long loading and attaching may take (the verifier is slow under emulation)
 * @param stopTimeout    how long SIGINT has before SIGKILL
 * @param watchdog       the requested watchdog timeout, if any
 * @param watchdogMode   how {@code watchdog} is applied
 */
public record SchedulerLaunch(String opsName, Path hostBinary, String guestPath, List<String> args, List<String> env,
        Duration attachTimeout, Duration stopTimeout, Optional<Duration> watchdog, WatchdogMode watchdogMode) {

    /** Where the guest launcher ships the scheduler binary. */
    public static final String GUEST_PATH = "/scheduler";
    /** Default attach timeout: verifying a scheduler's programs takes seconds under TCG. */
    public static final Duration DEFAULT_ATTACH_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(5);

    /** How a requested sched_ext watchdog timeout reaches the kernel. */
    public enum WatchdogMode {
        /** No timeout was requested: the kernel default (or the scheduler's own ops.timeout_ms) applies. */
        NONE,
        /** The scheduler takes an option that sets {@code ops.timeout_ms} (ktstr_fixture's {@code --timeout-ms}). */
        SCHEDULER_OPTION,
        /** The host writes the timeout into guest kernel memory after attach ({@link WatchdogControl}). */
        HOST_OVERRIDE
    }

    public SchedulerLaunch {
        args = List.copyOf(args);
        env = List.copyOf(env);
    }

    /**
     * Plans a run of {@code def}'s scheduler found at {@code found} with the test's extra arguments,
     * the active flags and an optional watchdog timeout.
     */
    public static SchedulerLaunch plan(SchedulerDefinition def, SchedulerCatalog.Found found, List<String> extraArgs,
            List<SchedulerDefinition.FlagDef> activeFlags, Optional<Duration> watchdog) {
        List<String> args = new ArrayList<>(def.arguments(extraArgs, activeFlags));
        WatchdogMode mode = WatchdogMode.NONE;
        if (watchdog.isPresent()) {
            List<String> opt = found.known().map(k -> k.watchdogArgs(watchdog.get())).orElse(List.of());
            mode = opt.isEmpty() ? WatchdogMode.HOST_OVERRIDE : WatchdogMode.SCHEDULER_OPTION;
            args.addAll(opt);
        }
        return new SchedulerLaunch(def.name(), found.path(), GUEST_PATH, args, List.of(), DEFAULT_ATTACH_TIMEOUT,
                DEFAULT_STOP_TIMEOUT, watchdog, mode);
    }

    /** A copy with another attach timeout. */
    public SchedulerLaunch withAttachTimeout(Duration timeout) {
        return new SchedulerLaunch(opsName, hostBinary, guestPath, args, env, timeout, stopTimeout, watchdog,
                watchdogMode);
    }

    /** A copy with other arguments (the verifier runs one launch per flag profile). */
    public SchedulerLaunch withArgs(List<String> newArgs) {
        return new SchedulerLaunch(opsName, hostBinary, guestPath, newArgs, env, attachTimeout, stopTimeout, watchdog,
                watchdogMode);
    }

    /** The command line as one string, for logs. */
    public String commandLine() {
        List<String> all = new ArrayList<>();
        all.add(guestPath);
        all.addAll(args);
        return String.join(" ", all);
    }
}

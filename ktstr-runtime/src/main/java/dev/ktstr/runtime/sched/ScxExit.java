package dev.ktstr.runtime.sched;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why sched_ext disabled a BPF scheduler, read from the evidence the guest gives: the kernel's
 * {@code sched_ext: BPF scheduler "NAME" disabled (REASON)} line and the {@code sched_ext: NAME: MSG}
 * line after it (kernel/sched/ext/ext.c, {@code scx_log_sched_disable}), or, when the kernel lines
 * are missing, the loader's own report ({@code UEI_REPORT} in tools/sched_ext's
 * {@code user_exit_info.h}: {@code EXIT: REASON (MSG) on CPU N}, after an optional
 * {@code DEBUG DUMP} block). The reason strings are the kernel's {@code scx_exit_reason()}: the
 * error kinds ({@code SCX_EXIT_ERROR*}, printed with pr_err) mean the kernel ejected the scheduler;
 * the others are an orderly unregistration.
 *
 * @param scheduler the ops name ("" when only the loader's report was seen)
 * @param reason    the kernel's exit reason, e.g. {@code runnable task stall}
 * @param message   the detail, e.g. {@code kworker/0:1[42] failed to run for 5.004s} ("" when none)
 * @param fromKernel whether it came from the kernel's log (else from the loader's output)
 */
public record ScxExit(String scheduler, String reason, String message, boolean fromKernel) {

    /** {@code scx_exit_reason()} of the error kinds ({@code kind >= SCX_EXIT_ERROR}). */
    public static final Set<String> ERROR_REASONS = Set.of("runtime error", "scx_bpf_error", "runnable task stall",
            "reenqueue limit", "rescue bandwidth overload");
    /** {@code scx_exit_reason()} of the orderly kinds. */
    public static final Set<String> ORDERLY_REASONS = Set.of("unregistered from user space", "unregistered from BPF",
            "unregistered from the main kernel", "disabled by sysrq-S", "parent exiting", "killed by parent scheduler");

    private static final Pattern DISABLED = Pattern.compile(
            "sched_ext: BPF (?:sub-)?scheduler \"(.*)\" disabled \\((.*)\\)\\s*$");
    private static final Pattern UEI = Pattern.compile("^EXIT: (.*?)(?: \\((.*)\\))?(?: on CPU -?\\d+)?\\s*$");
    private static final String DUMP_HEAD = "DEBUG DUMP";
    private static final String RULE = "================================================================================";

    /**
     * Whether the kernel ejected the scheduler (an error kind). Reasons this harness does not know
     * count as errors: a new kernel's new error must not pass as a clean exit.
     */
    public boolean isError() {
        return ERROR_REASONS.contains(reason) || !ORDERLY_REASONS.contains(reason);
    }

    /** {@code reason} or {@code reason: message}. */
    public String describe() {
        return message.isEmpty() ? reason : reason + ": " + message;
    }

    /**
     * The last disable record in kernel log lines (each possibly with a {@code [  1.23]} prefix): the
     * reason from the "disabled" line and the message from the {@code sched_ext: NAME: } line that
     * follows it.
     */
    public static Optional<ScxExit> fromKernel(List<String> lines) {
        return fromKernel(lines, null);
    }

    /** {@link #fromKernel(List)} of the scheduler registered as {@code opsName} only (null: any). */
    public static Optional<ScxExit> fromKernel(List<String> lines, String opsName) {
        ScxExit found = null;
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = DISABLED.matcher(lines.get(i));
            if (!m.find()) {
                continue;
            }
            String name = m.group(1);
            if (opsName != null && !opsName.equals(name)) {
                continue;
            }
            String msg = "";
            String prefix = "sched_ext: " + name + ": ";
            for (int j = i + 1; j < lines.size() && j <= i + 3; j++) {
                int at = lines.get(j).indexOf(prefix);
                if (at >= 0) {
                    msg = lines.get(j).substring(at + prefix.length()).strip();
                    break;
                }
                if (DISABLED.matcher(lines.get(j)).find()) {
                    break;
                }
            }
            found = new ScxExit(name, m.group(2), msg, true);
        }
        return Optional.ofNullable(found);
    }

    /**
     * The kernel's record completed by the loader's: the kernel prints a message only for error
     * kinds, while the loader's {@code EXIT:} line carries {@code scx_bpf_exit()}'s message too.
     */
    public static Optional<ScxExit> merge(Optional<ScxExit> kernel, Optional<ScxExit> loader) {
        if (kernel.isEmpty()) {
            return loader;
        }
        ScxExit k = kernel.get();
        if (k.message().isEmpty() && loader.isPresent() && loader.get().reason().equals(k.reason())) {
            return Optional.of(new ScxExit(k.scheduler(), k.reason(), loader.get().message(), true));
        }
        return kernel;
    }

    /** The loader's {@code EXIT: …} line (the last one), if it printed one. */
    public static Optional<ScxExit> fromLoader(String output) {
        ScxExit found = null;
        for (String line : output.split("\n")) {
            Matcher m = UEI.matcher(line);
            if (m.matches()) {
                found = new ScxExit("", m.group(1).strip(), m.group(2) == null ? "" : m.group(2).strip(), false);
            }
        }
        return Optional.ofNullable(found);
    }

    /** The loader's {@code DEBUG DUMP} block (the kernel's scx_dump_state), without its rulers; "" when none. */
    public static String debugDump(String output) {
        int head = output.lastIndexOf(DUMP_HEAD + "\n");
        if (head < 0) {
            return "";
        }
        int start = output.indexOf(RULE, head);
        if (start < 0) {
            return "";
        }
        start += RULE.length();
        int end = output.indexOf(RULE, start);
        return (end < 0 ? output.substring(start) : output.substring(start, end)).strip();
    }
}

package dev.ktstr.kvm.introspect;

import java.time.Duration;
import java.util.Optional;

/**
 * Shortens (or lengthens) the sched_ext watchdog of a running guest by writing its timeout where the
 * kernel reads it (kernel/sched/ext.c, {@code check_rq_for_timeouts}): the {@code watchdog_timeout}
 * member of the root scheduler instance ({@code *scx_root}) on kernels whose {@code struct scx_sched}
 * has one (7.1+), else the file-static {@code scx_watchdog_timeout}. The value is in jiffies, so the
 * guest's CONFIG_HZ must be known. The kernel sets the timeout when a scheduler is enabled, so apply the
 * override after the scheduler attached. When the kernel has {@code scx_watchdog_interval} (the
 * watchdog work's period, set to a fraction of the timeout at enable time) it is lowered to half the
 * new timeout, so the shorter timeout is also checked often enough.
 */
public final class WatchdogOverride {

    /**
     * What was written.
     *
     * @param location    {@code scx_root->watchdog_timeout} or {@code scx_watchdog_timeout}
     * @param kva         address written
     * @param previous    the value found there, in jiffies
     * @param jiffies     the value written
     */
    public record Applied(String location, long kva, long previous, long jiffies) {}

    private WatchdogOverride() {}

    /** Where the running kernel keeps the timeout, and the field's size. */
    private static Applied locate(KernelView kernel) throws IntrospectException {
        Btf btf = kernel.btf();
        Optional<FieldLocation> member = btf.findField("scx_sched", "watchdog_timeout");
        if (member.isPresent()) {
            long sched = kernel.u64(kernel.symbol("scx_root"));
            if (sched == 0) {
                throw new IntrospectException("no sched_ext scheduler is attached (scx_root is NULL): attach one before"
                        + " overriding its watchdog");
            }
            long kva = sched + member.get().byteOffset();
            return new Applied("scx_root->watchdog_timeout", kva, kernel.u64(kva), 0);
        }
        Optional<Long> sym = kernel.symbols().find("scx_watchdog_timeout");
        if (sym.isPresent()) {
            return new Applied("scx_watchdog_timeout", sym.get(), kernel.u64(sym.get()), 0);
        }
        throw new IntrospectException("this kernel has neither scx_sched.watchdog_timeout (7.1+) nor the"
                + " scx_watchdog_timeout symbol (6.12-7.0): no sched_ext watchdog to override");
    }

    /** The current timeout in jiffies. */
    public static long current(KernelView kernel) throws IntrospectException {
        return locate(kernel).previous();
    }

    /** Writes {@code timeout} (rounded up to whole jiffies at {@code hz}). */
    public static Applied apply(KernelView kernel, Duration timeout, int hz) throws IntrospectException {
        if (hz <= 0) {
            throw new IllegalArgumentException("CONFIG_HZ must be positive, got " + hz);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("watchdog timeout must be positive, got " + timeout);
        }
        long jiffies = Math.max(1, (timeout.toMillis() * hz + 999) / 1000);
        Applied where = locate(kernel);
        kernel.writeUnsigned(where.kva(), 8, jiffies);
        Optional<Long> interval = kernel.symbols().find("scx_watchdog_interval");
        if (interval.isPresent()) {
            long cur = kernel.u64(interval.get());
            long want = Math.max(1, jiffies / 2);
            if (cur > want) {
                kernel.writeUnsigned(interval.get(), 8, want);
            }
        }
        return new Applied(where.location(), where.kva(), where.previous(), jiffies);
    }
}

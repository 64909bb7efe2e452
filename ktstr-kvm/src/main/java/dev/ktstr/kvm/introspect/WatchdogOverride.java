package dev.ktstr.kvm.introspect;

import java.time.Duration;
import java.util.Optional;

/**
 * Shortens (or lengthens) the sched_ext watchdog of a running guest by writing its timeout where the
 * kernel reads it (kernel/sched/ext.c of 7.3: {@code check_rq_for_timeouts}, {@code scx_tick},
 * {@code scx_watchdog_workfn}, {@code refresh_watchdog}): the {@code watchdog_timeout} member of the
 * root scheduler instance ({@code *scx_root}) on kernels whose {@code struct scx_sched} has one (7.1+),
 * else the file-static {@code scx_watchdog_timeout}. The value is in jiffies, so the guest's CONFIG_HZ
 * must be known. The kernel sets the timeout when a scheduler is enabled, so apply the override after
 * the scheduler attached.
 *
 * <p>The kernel's watchdog has two halves, and a bare write of a shorter timeout breaks their contract:
 * <ul>
 *   <li>a delayed work ({@code scx_watchdog_work}) that checks every runnable task against the timeout
 *       ("runnable task stall"), records when it ran in {@code scx_watchdog_timestamp} and re-queues
 *       itself after {@code scx_watchdog_interval} (half the timeout, fixed at enable time); and</li>
 *   <li>the scheduler tick, which ejects the scheduler when that work has not run for a whole timeout
 *       ("watchdog failed to check in").</li>
 * </ul>
 * At enable the work was queued half the <em>old</em> timeout ahead (15 s for the kernel's 30 s
 * default). With only the timeout shortened, the tick would eject every healthy scheduler one new
 * timeout after it attached, because the work is not due yet. So the override also lowers {@code
 * scx_watchdog_interval} to half the new timeout (used from the work's next run on) and, when the
 * already-queued run is due later than the new timeout allows, moves {@code scx_watchdog_timestamp}
 * to half an interval before that run, which gives the queued run the same slack every later run
 * gets. The work is not re-queued (the host cannot safely touch the guest's timer wheel): runnable
 * tasks are checked against the new timeout from the queued run on, which {@link
 * Applied#inForceAfterJiffies()} reports.
 */
public final class WatchdogOverride {

    /**
     * What was written.
     *
     * @param location            {@code scx_root->watchdog_timeout} or {@code scx_watchdog_timeout}
     * @param kva                 address written
     * @param previous            the value found there, in jiffies
     * @param jiffies             the value written
     * @param inForceAfterJiffies jiffies from now until the watchdog work's queued run, the first that
     *                            checks runnable tasks against the new timeout (0 when it is due within
     *                            the new interval anyway; -1 when the kernel's work could not be read)
     */
    public record Applied(String location, long kva, long previous, long jiffies, long inForceAfterJiffies) {}

    private WatchdogOverride() {}

    /** Where the running kernel keeps the timeout. */
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
            return new Applied("scx_root->watchdog_timeout", kva, kernel.u64(kva), 0, -1);
        }
        Optional<Long> sym = kernel.symbols().find("scx_watchdog_timeout");
        if (sym.isPresent()) {
            return new Applied("scx_watchdog_timeout", sym.get(), kernel.u64(sym.get()), 0, -1);
        }
        throw new IntrospectException("this kernel has neither scx_sched.watchdog_timeout (7.1+) nor the"
                + " scx_watchdog_timeout symbol (6.12-7.0): no sched_ext watchdog to override");
    }

    /** The current timeout in jiffies. */
    public static long current(KernelView kernel) throws IntrospectException {
        return locate(kernel).previous();
    }

    /**
     * Writes {@code timeout} (rounded up to whole jiffies at {@code hz}).
     *
     * @throws IntrospectException when the kernel cannot be read, or when shortening the timeout is
     *     refused because the watchdog work's schedule cannot be read (the write would eject a healthy
     *     scheduler)
     */
    public static Applied apply(KernelView kernel, Duration timeout, int hz) throws IntrospectException {
        if (hz <= 0) {
            throw new IllegalArgumentException("CONFIG_HZ must be positive, got " + hz);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("watchdog timeout must be positive, got " + timeout);
        }
        long jiffies = Math.max(1, (timeout.toMillis() * hz + 999) / 1000);
        long half = Math.max(1, jiffies / 2);
        Applied where = locate(kernel);
        Optional<WorkSchedule> work = WorkSchedule.find(kernel);
        if (jiffies < where.previous() && work.isEmpty()) {
            throw new IntrospectException("refusing to shorten the sched_ext watchdog from " + where.previous()
                    + " to " + jiffies + " jiffies: scx_watchdog_work or scx_watchdog_timestamp is not readable on this"
                    + " kernel, and without moving the check-in time the tick would eject a healthy scheduler");
        }
        Optional<Long> interval = kernel.symbols().find("scx_watchdog_interval");
        if (interval.isPresent() && kernel.u64(interval.get()) > half) {
            kernel.writeUnsigned(interval.get(), 8, half);
        }
        // The check-in time first: with the old, longer timeout still in place moving it later is
        // harmless, and once the new timeout is written the tick must already see it.
        long inForce = -1;
        if (work.isPresent()) {
            inForce = work.get().protect(half);
        }
        kernel.writeUnsigned(where.kva(), 8, jiffies);
        if (work.isPresent()) {
            // The work may have run in between and re-queued itself at the old interval: look again.
            inForce = Math.max(inForce, work.get().protect(half));
        }
        return new Applied(where.location(), where.kva(), where.previous(), jiffies, inForce);
    }

    /** The watchdog work's timer and check-in time ({@code scx_watchdog_work}, {@code scx_watchdog_timestamp}). */
    private record WorkSchedule(KernelView kernel, long expiresKva, long pprevKva, long timestampKva,
            Optional<Long> jiffiesKva) {

        static Optional<WorkSchedule> find(KernelView kernel) {
            Optional<Long> work = kernel.symbols().find("scx_watchdog_work");
            Optional<Long> stamp = kernel.symbols().find("scx_watchdog_timestamp");
            Optional<FieldLocation> expires = kernel.btf().findField("delayed_work", "timer.expires");
            Optional<FieldLocation> pprev = kernel.btf().findField("delayed_work", "timer.entry.pprev");
            if (work.isEmpty() || stamp.isEmpty() || expires.isEmpty() || pprev.isEmpty()) {
                return Optional.empty();
            }
            Optional<Long> now = kernel.symbols().find("jiffies_64").or(() -> kernel.symbols().find("jiffies"));
            return Optional.of(new WorkSchedule(kernel, work.get() + expires.get().byteOffset(),
                    work.get() + pprev.get().byteOffset(), stamp.get(), now));
        }

        /**
         * If the queued run is due more than {@code half} after the last check-in, moves the check-in
         * to {@code half} before that run; returns the jiffies until the queued run (0 when not queued
         * or due soon enough; -1 when the guest's jiffies are unknown).
         */
        long protect(long half) throws IntrospectException {
            if (kernel.u64(pprevKva) == 0) {
                return 0; // not pending: the work is running or about to, and records its own check-in
            }
            long due = kernel.u64(expiresKva);
            long stamp = kernel.u64(timestampKva);
            if (due - stamp <= half) {
                return 0;
            }
            kernel.writeUnsigned(timestampKva, 8, due - half);
            if (jiffiesKva.isEmpty()) {
                return -1;
            }
            return Math.max(0, due - kernel.u64(jiffiesKva.get()));
        }
    }
}

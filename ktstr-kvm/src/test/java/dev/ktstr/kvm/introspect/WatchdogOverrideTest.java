package dev.ktstr.kvm.introspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WatchdogOverrideTest {

    /** A kernel right after a scheduler with the default 30 s timeout attached at jiffy 10000 (HZ 250). */
    private static final class Attached {
        final Vmlinux v;
        final SyntheticKernel k;
        final long root;
        final long sched;
        final long interval;
        final long stamp;
        final long work;
        final long jiffies;

        Attached(boolean withWork) throws Exception {
            v = DevKernel.vmlinux();
            k = SyntheticKernel.create(v.btf(), v.imageLayout(), 2, 64);
            root = k.defineSymbol("scx_root", 8);
            interval = k.defineSymbol("scx_watchdog_interval", 8);
            k.writeU64(interval, 3750);
            sched = k.allocDirect(k.sizeOf("scx_sched"));
            k.set(sched, "scx_sched", "watchdog_timeout", 30 * 250);
            if (withWork) {
                stamp = k.defineSymbol("scx_watchdog_timestamp", 8);
                work = k.defineSymbol("scx_watchdog_work", k.sizeOf("delayed_work"));
                jiffies = k.defineSymbol("jiffies_64", 8);
                k.writeU64(stamp, 10_000);
                // refresh_watchdog() queued the work half the old timeout ahead.
                k.set(work, "delayed_work", "timer.expires", 10_000 + 3750);
                k.set(work, "delayed_work", "timer.entry.pprev", 0xffff888000123450L);
                k.writeU64(jiffies, 10_100);
            } else {
                stamp = work = jiffies = 0;
            }
        }

        long timeout(KernelView view) throws IntrospectException {
            return view.u64(sched + v.btf().field("scx_sched", "watchdog_timeout").byteOffset());
        }
    }

    @Test
    void writesTheRootSchedulersTimeoutAndMovesTheCheckInBeforeTheQueuedRun() throws Exception {
        Attached a = new Attached(true);
        IntrospectException none = assertThrows(IntrospectException.class,
                () -> WatchdogOverride.apply(a.k.attach(), Duration.ofSeconds(4), 250));
        assertTrue(none.getMessage().contains("scx_root is NULL"), none.getMessage());

        a.k.writeU64(a.root, a.sched);
        KernelView view = a.k.attach();
        assertEquals(7500, WatchdogOverride.current(view));
        WatchdogOverride.Applied w = WatchdogOverride.apply(view, Duration.ofSeconds(4), 250);
        assertEquals("scx_root->watchdog_timeout", w.location());
        assertEquals(7500, w.previous());
        assertEquals(1000, w.jiffies());
        assertEquals(1000, a.timeout(view));
        assertEquals(500, view.u64(a.interval), "the watchdog work runs at half the new timeout");
        // Without this the tick would eject the scheduler at jiffy 11000 ("watchdog failed to check
        // in"), long before the queued work runs at 13750.
        assertEquals(13750 - 500, view.u64(a.stamp), "check-in deadline: the queued run + half an interval");
        assertEquals(13750 - 10_100, w.inForceAfterJiffies(), "tasks are checked from the queued run on");

        // Once the work runs at the new interval there is nothing to move.
        a.k.writeU64(a.stamp, 13750);
        a.k.set(a.work, "delayed_work", "timer.expires", 13750 + 500);
        WatchdogOverride.Applied again = WatchdogOverride.apply(view, Duration.ofSeconds(4), 250);
        assertEquals(13750, view.u64(a.stamp));
        assertEquals(0, again.inForceAfterJiffies());
        assertEquals(1, WatchdogOverride.apply(view, Duration.ofMillis(1), 250).jiffies(), "rounds up to a jiffy");
    }

    @Test
    void shorteningIsRefusedWhenTheWatchdogWorkCannotBeRead() throws Exception {
        Attached a = new Attached(false);
        a.k.writeU64(a.root, a.sched);
        KernelView view = a.k.attach();
        IntrospectException e = assertThrows(IntrospectException.class,
                () -> WatchdogOverride.apply(view, Duration.ofSeconds(4), 250));
        assertTrue(e.getMessage().startsWith("refusing to shorten the sched_ext watchdog from 7500 to 1000 jiffies"),
                e.getMessage());
        assertEquals(7500, a.timeout(view), "nothing written");
        assertEquals(3750, view.u64(a.interval), "nothing written");

        WatchdogOverride.Applied longer = WatchdogOverride.apply(view, Duration.ofSeconds(30), 250);
        assertEquals(7500, longer.jiffies(), "lengthening needs no check-in move");
        assertEquals(-1, longer.inForceAfterJiffies());
    }
}

package dev.ktstr.kvm.introspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WatchdogOverrideTest {

    @Test
    void writesTheRootSchedulersTimeoutInJiffies() throws Exception {
        Vmlinux v = DevKernel.vmlinux();
        SyntheticKernel k = SyntheticKernel.create(v.btf(), v.imageLayout(), 2, 64);
        long root = k.defineSymbol("scx_root", 8);
        long interval = k.defineSymbol("scx_watchdog_interval", 8);
        k.writeU64(interval, 3750);

        IntrospectException none = assertThrows(IntrospectException.class,
                () -> WatchdogOverride.apply(k.attach(), Duration.ofSeconds(4), 250));
        assertTrue(none.getMessage().contains("scx_root is NULL"), none.getMessage());

        long sched = k.allocDirect(k.sizeOf("scx_sched"));
        k.set(sched, "scx_sched", "watchdog_timeout", 30 * 250);
        k.writeU64(root, sched);
        KernelView view = k.attach();
        assertEquals(7500, WatchdogOverride.current(view));
        WatchdogOverride.Applied a = WatchdogOverride.apply(view, Duration.ofSeconds(4), 250);
        assertEquals("scx_root->watchdog_timeout", a.location());
        assertEquals(7500, a.previous());
        assertEquals(1000, a.jiffies());
        assertEquals(1000, view.u64(sched + v.btf().field("scx_sched", "watchdog_timeout").byteOffset()));
        assertEquals(500, view.u64(interval), "the watchdog work runs at half the new timeout");
        assertEquals(1, WatchdogOverride.apply(view, Duration.ofMillis(1), 250).jiffies(), "rounds up to a jiffy");
    }
}

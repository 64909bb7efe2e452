package dev.ktstr.kvm.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ktstr.kvm.engine.KernelImage;
import dev.ktstr.kvm.engine.VmExit;
import dev.ktstr.kvm.engine.VmSpec;
import dev.ktstr.topology.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a VM can end, provoked by the probe guest and classified by the machine. */
class MachineEndingsTest {

    private static final Topology TOPO = Topology.parse("1n1l2c1t");

    @TempDir
    Path dir;

    private KvmMachine boot(String cmdline, Duration watchdog) throws Exception {
        ProbeGuest.assumeKvm();
        VmSpec spec = ProbeGuest.spec(TOPO, KernelImage.Format.ELF_PVH, cmdline, List.of(), 0, watchdog, dir);
        return KvmMachine.start(spec);
    }

    private static VmExit await(KvmMachine m) throws Exception {
        return m.exit().get(60, TimeUnit.SECONDS);
    }

    @Test
    void i8042ResetIsAReset() throws Exception {
        try (KvmMachine m = boot("probe.quick probe.end=reset", Duration.ofSeconds(60))) {
            VmExit e = await(m);
            VmExit.Reset r = assertInstanceOf(VmExit.Reset.class, e, e::summary);
            assertEquals("i8042 reset", r.how());
            assertTrue(r.consoleTail().contains("probe: end reset"), () -> String.join("\n", r.consoleTail()));
        }
    }

    @Test
    void acpiResetRegisterIsAReset() throws Exception {
        try (KvmMachine m = boot("probe.quick probe.end=acpi-reset", Duration.ofSeconds(60))) {
            VmExit.Reset r = assertInstanceOf(VmExit.Reset.class, await(m));
            assertEquals("ACPI reset register", r.how());
        }
    }

    @Test
    void tripleFaultIsNamed() throws Exception {
        try (KvmMachine m = boot("probe.quick probe.end=triple", Duration.ofSeconds(60))) {
            VmExit e = await(m);
            VmExit.TripleFault t = assertInstanceOf(VmExit.TripleFault.class, e, e::summary);
            assertEquals(0, t.vcpu());
        }
    }

    @Test
    void emulationFailureCarriesTheInstructionBytes() throws Exception {
        assumeTrue(KvmHost.flavour() == KvmHost.Flavour.PVM,
                "only PVM's instruction emulator gives up on int3; hardware KVM delivers it to the guest");
        try (KvmMachine m = boot("probe.quick probe.end=int3", Duration.ofSeconds(60))) {
            VmExit e = await(m);
            VmExit.InternalError ie = assertInstanceOf(VmExit.InternalError.class, e, e::summary);
            assertEquals(0, ie.vcpu());
            assertTrue(ie.detail().startsWith("emulation failure"), ie.detail());
            assertEquals((byte) 0xCC, ie.instructionBytes()[0], e.summary());
            assertTrue(e.summary().contains("instruction bytes: cc"), e.summary());
        }
    }

    @Test
    void panicOnTheConsoleIsAKernelPanic() throws Exception {
        try (KvmMachine m = boot("probe.quick probe.end=panic", Duration.ofSeconds(60))) {
            VmExit e = await(m);
            VmExit.KernelPanic p = assertInstanceOf(VmExit.KernelPanic.class, e, e::summary);
            assertEquals("Kernel panic - not syncing: probe asked for a panic", p.panicLine());
            assertTrue(p.consoleTail().get(p.consoleTail().size() - 1).startsWith("---[ end Kernel panic"));
        }
    }

    @Test
    void hangingGuestIsStoppedByTheWatchdog() throws Exception {
        long t0 = System.nanoTime();
        try (KvmMachine m = boot("probe.quick probe.end=hang", Duration.ofMillis(1500))) {
            VmExit e = await(m);
            VmExit.TimedOut t = assertInstanceOf(VmExit.TimedOut.class, e, e::summary);
            assertEquals(1500, t.afterMs());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 1500, "stopped after " + ms + " ms");
        }
    }

    @Test
    void guestThatAnswersThePowerButtonPowersOffOnRequest() throws Exception {
        CountDownLatch armed = new CountDownLatch(1);
        try (KvmMachine m = boot("probe.button", Duration.ofSeconds(60))) {
            m.console().addListener(l -> {
                if (l.equals("probe: button armed")) {
                    armed.countDown();
                }
            });
            assertTrue(armed.await(60, TimeUnit.SECONDS) || m.console().tail(200).contains("probe: button armed"),
                    () -> String.join("\n", m.console().tail(200)));
            m.requestStop(Duration.ofSeconds(30));
            VmExit e = await(m);
            assertInstanceOf(VmExit.PoweredOff.class, e, () -> e.summary() + "\n" + String.join("\n", e.consoleTail()));
            ProbeReport r = new ProbeReport(m.console().tail(KvmMachine.CONSOLE_LINES));
            assertEquals(List.of(), r.failures());
            assertTrue(r.passedChecks().contains("power-button"), () -> String.join("\n", r.lines()));
        }
    }

    @Test
    void guestThatIgnoresAStopRequestIsStoppedAfterTheGrace() throws Exception {
        try (KvmMachine m = boot("probe.quick probe.end=hang", Duration.ofSeconds(60))) {
            m.requestStop(Duration.ofMillis(300));
            VmExit.Killed k = assertInstanceOf(VmExit.Killed.class, await(m));
            assertTrue(k.why().contains("did not power off within 300 ms"), k.why());
        }
    }

    @Test
    void killStopsARunningGuest() throws Exception {
        try (KvmMachine m = boot("probe.quick probe.end=hang", Duration.ofSeconds(60))) {
            m.kill();
            VmExit.Killed k = assertInstanceOf(VmExit.Killed.class, await(m));
            assertEquals("killed by the host", k.why());
        }
    }

    @Test
    void closeStopsARunningGuest() throws Exception {
        KvmMachine m = boot("probe.quick probe.end=hang", Duration.ofSeconds(60));
        m.close();
        assertInstanceOf(VmExit.Killed.class, m.exit().getNow(null));
        m.close();
    }
}

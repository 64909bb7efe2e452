package dev.ktstr.kvm.vmm.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ktstr.kvm.vmm.acpi.AcpiHardware;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ACPI 6.5 4.8.3: PM1 status (write 1 to clear), enable, control with SLP_TYP/SLP_EN, the reset register. */
class AcpiPmTest {

    private final List<String> events = new ArrayList<>();
    private final List<Boolean> sci = new ArrayList<>();
    private final AcpiPm pm = new AcpiPm(sci::add, new PowerEvents() {
        @Override
        public void powerOff(String how) {
            events.add("off: " + how);
        }

        @Override
        public void reset(String how) {
            events.add("reset: " + how);
        }
    });

    @Test
    void s5PowersOff() {
        assertEquals(AcpiHardware.PM1_CNT_SCI_EN, pm.controlBlock().read(0, 2), "already in ACPI mode");
        pm.controlBlock().write(0, 2, (AcpiHardware.SLP_TYP_S5 << 10));
        assertEquals(List.of(), events, "SLP_TYP without SLP_EN does nothing");
        pm.controlBlock().write(0, 2, (AcpiHardware.SLP_TYP_S5 << 10) | (1 << 13));
        assertEquals(List.of("off: ACPI S5 (SLP_EN on PM1a control)"), events);
        assertEquals(0, pm.controlBlock().read(0, 2) & (1 << 13), "SLP_EN reads as 0");
    }

    @Test
    void otherSleepStatesAreIgnoredAndByteWritesWork() {
        pm.controlBlock().write(1, 1, (1 << 2) | (1 << 5)); // SLP_TYP 1, SLP_EN, as a high-byte write
        assertEquals(List.of(), events);
        pm.controlBlock().write(1, 1, (5 << 2) | (1 << 5));
        assertEquals(1, events.size());
    }

    @Test
    void powerButtonRaisesSciOnlyWhenEnabledAndClearsOnWriteOne() {
        pm.pressPowerButton();
        assertEquals(List.of(), sci, "PWRBTN_EN is clear");
        assertEquals(AcpiHardware.PM1_PWRBTN, pm.eventBlock().read(0, 2));
        pm.eventBlock().write(2, 2, AcpiHardware.PM1_PWRBTN);
        assertEquals(List.of(true), sci, "enabling with status set asserts the SCI");
        pm.eventBlock().write(0, 2, 0x0001);
        assertEquals(List.of(true), sci, "writing 0 to PWRBTN_STS changes nothing");
        pm.eventBlock().write(0, 2, AcpiHardware.PM1_PWRBTN);
        assertEquals(List.of(true, false), sci);
        assertEquals(AcpiHardware.PM1_PWRBTN, pm.eventBlock().read(0, 4) >>> 16, "enable reads back");
    }

    @Test
    void resetRegister() {
        pm.resetRegister().write(0, 1, 0x02);
        assertEquals(List.of(), events);
        pm.resetRegister().write(0, 1, AcpiHardware.RESET_VALUE);
        assertEquals(List.of("reset: ACPI reset register"), events);
    }
}

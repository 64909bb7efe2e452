package dev.ktstr.kvm.vmm.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The engine's additions to the caller's command line. */
class CommandLineTest {

    @Test
    void addsConsoleAndAgentRegion() {
        assertEquals("quiet console=ttyS0 ktstr.shm=0xff00000,0x100000",
                CommandLine.compose("  quiet ", 0xFF00000, 0x100000));
    }

    @Test
    void keepsTheCallersConsoleAndOmitsAMissingRegion() {
        assertEquals("console=hvc0 rdinit=/init", CommandLine.compose("console=hvc0 rdinit=/init", 0, 0));
        assertEquals("earlycon=uart console=ttyS0", CommandLine.compose("earlycon=uart", 0, 0),
                "a word merely containing 'console' does not count");
    }
}

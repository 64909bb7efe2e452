package dev.ktstr.runtime.kernel.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KernelConfigTest {

    @Test
    void readsValuesNotSetLinesAndLaterAssignmentsWin() {
        KernelConfig c = KernelConfig.parse("CONFIG_HZ=250\n# CONFIG_PSI is not set\nCONFIG_SCHED_CLASS_EXT=y\n"
                + "CONFIG_LOCALVERSION=\"-x\"\n# comment\nCONFIG_PSI=y\n");
        assertEquals(250, c.hz().getAsInt());
        assertTrue(c.hasSchedExt());
        assertTrue(c.isBuiltIn("PSI"));
        assertEquals("\"-x\"", c.value("LOCALVERSION").orElseThrow());
        assertFalse(KernelConfig.parse("# CONFIG_SCHED_CLASS_EXT is not set\n").hasSchedExt());
        assertEquals("n", KernelConfig.parse("# CONFIG_X is not set\n").value("CONFIG_X").orElseThrow());
        assertTrue(KernelConfig.parse("CONFIG_HZ=abc\n").hz().isEmpty());
    }
}

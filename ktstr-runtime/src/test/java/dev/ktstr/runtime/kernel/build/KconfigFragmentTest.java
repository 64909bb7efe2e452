package dev.ktstr.runtime.kernel.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.runtime.kernel.image.KernelConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KconfigFragmentTest {

    @Test
    void ktstrFragmentRequiresTheCoreOptions() {
        Map<String, String> a = KconfigFragment.ktstr().assignments();
        for (String o : new String[] {"CONFIG_SCHED_CLASS_EXT", "CONFIG_DEBUG_INFO_BTF", "CONFIG_BPF_SYSCALL",
            "CONFIG_CPUSETS", "CONFIG_NUMA", "CONFIG_ACPI_HMAT", "CONFIG_SERIAL_8250_CONSOLE", "CONFIG_RD_LZ4",
            "CONFIG_PVH", "CONFIG_DEVMEM", "CONFIG_SCHEDSTATS", "CONFIG_KALLSYMS_ALL", "CONFIG_IKCONFIG"}) {
            assertEquals("y", a.get(o), o);
        }
        assertEquals("n", a.get("CONFIG_STRICT_DEVMEM"));
    }

    @Test
    void userFragmentOverridesAndLossesAreSplitIntoRequiredAndPreferences() {
        KconfigFragment f = new KconfigFragment("CONFIG_A=y\nCONFIG_B=y\n# CONFIG_C is not set\nCONFIG_HZ=250\n")
                .then(new KconfigFragment("CONFIG_HZ=1000\n# CONFIG_B is not set"));
        KconfigFragment.Verdict v = f.check(KernelConfig.parse("CONFIG_A=m\nCONFIG_C=y\nCONFIG_HZ=1000\n"));
        assertEquals(1, v.missing().size(), v.toString());
        assertTrue(v.missing().get(0).startsWith("CONFIG_A (wanted y, got m)"), v.toString());
        assertEquals(1, v.preferences().size());
        assertTrue(f.check(KernelConfig.parse("CONFIG_A=y\nCONFIG_HZ=1000\n")).ok());
    }
}

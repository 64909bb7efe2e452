package dev.ktstr.kvm.vmm.x86;

import dev.ktstr.kvm.vmm.kvm.MsrEntry;
import java.util.List;
import java.util.Map;

/**
 * The MSR values every vCPU starts with (Intel SDM Vol. 4, "Model-Specific Registers"; the set
 * Firecracker's {@code create_boot_msr_entries} uses): SYSENTER/SYSCALL targets cleared, fast-string
 * operations enabled in IA32_MISC_ENABLE, and MTRRs enabled with write-back as the default memory type
 * (IA32_MTRR_DEF_TYPE, SDM Vol. 3A 12.11.2.1) so guest memory is cacheable without variable MTRRs.
 */
public final class BootMsrs {

    public static final int IA32_SYSENTER_CS = 0x174;
    public static final int IA32_SYSENTER_ESP = 0x175;
    public static final int IA32_SYSENTER_EIP = 0x176;
    public static final int IA32_MISC_ENABLE = 0x1A0;
    public static final int IA32_MTRR_DEF_TYPE = 0x2FF;
    public static final int IA32_EFER = 0xC000_0080;
    public static final int STAR = 0xC000_0081;
    public static final int LSTAR = 0xC000_0082;
    public static final int CSTAR = 0xC000_0083;
    public static final int SYSCALL_MASK = 0xC000_0084;
    public static final int KERNEL_GS_BASE = 0xC000_0102;

    public static final long MISC_ENABLE_FAST_STRING = 1;
    public static final long MTRR_ENABLE = 1 << 11;
    public static final long MTRR_TYPE_WB = 6;

    private static final Map<Integer, String> NAMES = Map.ofEntries(Map.entry(IA32_SYSENTER_CS, "IA32_SYSENTER_CS"),
            Map.entry(IA32_SYSENTER_ESP, "IA32_SYSENTER_ESP"), Map.entry(IA32_SYSENTER_EIP, "IA32_SYSENTER_EIP"),
            Map.entry(IA32_MISC_ENABLE, "IA32_MISC_ENABLE"), Map.entry(IA32_MTRR_DEF_TYPE, "IA32_MTRR_DEF_TYPE"),
            Map.entry(IA32_EFER, "IA32_EFER"), Map.entry(STAR, "STAR"), Map.entry(LSTAR, "LSTAR"),
            Map.entry(CSTAR, "CSTAR"), Map.entry(SYSCALL_MASK, "SYSCALL_MASK"),
            Map.entry(KERNEL_GS_BASE, "KERNEL_GS_BASE"));

    private BootMsrs() {}

    public static List<MsrEntry> entries() {
        return List.of(new MsrEntry(IA32_SYSENTER_CS, 0), new MsrEntry(IA32_SYSENTER_ESP, 0),
                new MsrEntry(IA32_SYSENTER_EIP, 0), new MsrEntry(STAR, 0), new MsrEntry(CSTAR, 0),
                new MsrEntry(KERNEL_GS_BASE, 0), new MsrEntry(SYSCALL_MASK, 0), new MsrEntry(LSTAR, 0),
                new MsrEntry(IA32_MISC_ENABLE, MISC_ENABLE_FAST_STRING),
                new MsrEntry(IA32_MTRR_DEF_TYPE, MTRR_ENABLE | MTRR_TYPE_WB));
    }

    /** {@code "IA32_MTRR_DEF_TYPE (0x2ff)"}. */
    public static String name(int index) {
        return NAMES.getOrDefault(index, "MSR") + String.format(" (0x%x)", index);
    }
}

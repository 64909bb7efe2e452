package dev.ktstr.kvm.vmm.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ktstr.kvm.vmm.sys.NativeCallException;
import dev.ktstr.kvm.vmm.x86.BootMsrs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The KVM fds against the real /dev/kvm: opening errors, capabilities, CPUID, MSRs, vCPU state. */
class KvmDeviceTest {

    @TempDir
    Path dir;

    @Test
    void openingSomethingThatIsNotKvmFailsByName() throws Exception {
        KvmException missing = assertThrows(KvmException.class, () -> Kvm.open(dir.resolve("kvm").toString()));
        assertTrue(missing.getMessage().startsWith("no " + dir.resolve("kvm") + " (ENOENT)"), missing.getMessage());
        Path file = Files.createFile(dir.resolve("not-kvm"));
        NativeCallException e = assertThrows(NativeCallException.class, () -> Kvm.open(file.toString()));
        assertEquals("KVM_GET_API_VERSION failed: ENOTTY", e.getMessage());
    }

    @Test
    void systemVmAndVcpu() {
        assumeTrue(Files.exists(Path.of(Kvm.DEVICE)), "no /dev/kvm on this host");
        try (Kvm kvm = Kvm.open(); VmFd vm = kvm.createVm(); VcpuFd vcpu = vm.createVcpu(5)) {
            assertTrue(kvm.vcpuMmapSize() >= 4096);
            assertTrue(kvm.maxVcpus() >= 1);
            List<CpuidEntry> cpuid = kvm.supportedCpuid();
            assertTrue(cpuid.stream().anyMatch(e -> e.function() == 0), "leaf 0 supported");
            assertEquals(5, vcpu.id());
            vcpu.setCpuid(cpuid);
            // A refused MSR in the middle: the ones before and after it are still set.
            List<MsrEntry> msrs = new ArrayList<>(List.of(new MsrEntry(BootMsrs.IA32_SYSENTER_CS, 0x10),
                    new MsrEntry(0x4000_FFFF, 1), new MsrEntry(BootMsrs.KERNEL_GS_BASE, 0x1234)));
            List<MsrEntry> refused = vcpu.setMsrsSkippingRefused(msrs);
            assertEquals(List.of(new MsrEntry(0x4000_FFFF, 1)), refused);
            assertEquals(List.of(new MsrEntry(BootMsrs.IA32_SYSENTER_CS, 0x10), new MsrEntry(BootMsrs.KERNEL_GS_BASE,
                    0x1234)), vcpu.getMsrs(List.of(BootMsrs.IA32_SYSENTER_CS, BootMsrs.KERNEL_GS_BASE)));
            Sregs s = vcpu.getSregs();
            assertEquals(0xF000, s.cs().selector(), "reset state: real mode at the reset vector");
            Regs r = vcpu.getRegs();
            assertEquals(0xFFF0, r.rip());
            vcpu.setRegs(Regs.boot(0x1000, 0x8000, 0x7000, 0x6000));
            assertEquals(0x6000, vcpu.getRegs().rbx());
        }
    }
}

package dev.ktstr.kvm.vmm.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ktstr.kvm.elf.ElfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The PVH entry of an ELF kernel: XEN_ELFNOTE_PHYS32_ENTRY and PT_LOAD physical addresses. */
class PvhKernelTest {

    static final Path PROBE_DIR = Path.of(System.getProperty("ktstr.probe.dir", "target/probe"));

    @Test
    void probeElfHasItsEntryNote() throws Exception {
        Path elf = PROBE_DIR.resolve("probe.pvh.elf");
        assumeTrue(Files.exists(elf), "probe guest not built: " + elf);
        PvhKernel k = PvhKernel.of(ElfFile.open(elf));
        assertEquals(0x100000, k.entry(), "pvh_entry is the first byte of the image");
        assertEquals(0x100000, k.segments().get(0).paddr());
        assertTrue(k.kernelEnd() > k.segments().get(0).paddr() + k.segments().get(0).filesz(), "bss counted");
    }

    @Test
    void bzImageFlatElfWithoutNoteIsRejected() throws Exception {
        Path elf = PROBE_DIR.resolve("probe.bz.elf");
        assumeTrue(Files.exists(elf), "probe guest not built: " + elf);
        InvalidKernelException e = assertThrows(InvalidKernelException.class, () -> PvhKernel.of(ElfFile.open(elf)));
        assertTrue(e.getMessage().contains("XEN_ELFNOTE_PHYS32_ENTRY"), e.getMessage());
    }

    @Test
    void debianCloudVmlinux() throws Exception {
        Path vmlinux = dev.ktstr.kvm.TestKernelFiles.requireVmlinux();
        PvhKernel k = PvhKernel.of(ElfFile.open(vmlinux));
        assertTrue(k.entry() > 0x1000000 && k.entry() < k.kernelEnd(), "entry inside the kernel");
        assertEquals(0x1000000, k.segments().get(0).paddr(), "LOAD_PHYSICAL_ADDR");
    }
}

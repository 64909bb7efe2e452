package dev.ktstr.kvm.vmm.boot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ktstr.kvm.engine.InitramfsPart;
import dev.ktstr.kvm.engine.KernelImage;
import dev.ktstr.kvm.vmm.memory.GuestRam;
import dev.ktstr.kvm.vmm.memory.MemoryLayout;
import dev.ktstr.kvm.vmm.x86.InvalidKernelException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening both kernel formats, loading them, and loading initramfs parts back to back. */
class BootKernelTest {

    static final Path PROBE_DIR = Path.of(System.getProperty("ktstr.probe.dir", "target/probe"));

    @TempDir
    Path dir;

    @Test
    void probeImagesOpenInTheirFormats() throws Exception {
        Path bz = PROBE_DIR.resolve("probe.bzImage");
        assumeTrue(Files.exists(bz), "probe guest not built: " + bz);
        BootKernel k = BootKernel.open(new KernelImage(bz, KernelImage.Format.BZIMAGE));
        BootKernel.BzImageKernel b = assertInstanceOf(BootKernel.BzImageKernel.class, k);
        assertEquals(1, b.header().setupSects());
        assertEquals(2047, k.cmdlineMax());
        assertEquals(0x100000 + 0x400000, k.kernelEnd(), "INIT_SIZE from the probe's header");
        BootKernel p = BootKernel.open(new KernelImage(PROBE_DIR.resolve("probe.pvh.elf"), KernelImage.Format.ELF_PVH));
        assertTrue(p.describe().startsWith("ELF vmlinux, PVH entry 0x100000"), p.describe());
        try (GuestRam ram = GuestRam.allocate(MemoryLayout.of(new long[] {64L << 20}, 0), "ktstr-test-ram")) {
            k.load(ram);
            byte[] file = Files.readAllBytes(bz);
            byte[] loaded = new byte[file.length - 1024];
            ram.read(0x100000, loaded, 0, loaded.length);
            assertArrayEquals(java.util.Arrays.copyOfRange(file, 1024, file.length), loaded);
        }
    }

    @Test
    void aFileInTheWrongFormatIsRefusedByName() throws Exception {
        Path junk = Files.write(dir.resolve("junk"), new byte[4096]);
        InvalidKernelException e = assertThrows(InvalidKernelException.class,
                () -> BootKernel.open(new KernelImage(junk, KernelImage.Format.BZIMAGE)));
        assertTrue(e.getMessage().contains("0xAA55"), e.getMessage());
        InvalidKernelException e2 = assertThrows(InvalidKernelException.class,
                () -> BootKernel.open(new KernelImage(junk, KernelImage.Format.ELF_PVH)));
        assertTrue(e2.getMessage().contains("not an ELF"), e2.getMessage());
    }

    @Test
    void debianCloudBzImage() throws Exception {
        Path kernel = dev.ktstr.kvm.TestKernelFiles.requireBzImage();
        BootKernel k = BootKernel.open(new KernelImage(kernel, KernelImage.Format.BZIMAGE));
        assertTrue(k.describe().startsWith("bzImage, 64-bit boot protocol 2."), k.describe());
        assertTrue(k.kernelEnd() > 0x1000000, "decompresses above LOAD_PHYSICAL_ADDR");
    }

    @Test
    void initramfsPartsLoadBackToBack() throws Exception {
        Path file = Files.write(dir.resolve("base.cpio"), new byte[] {1, 2, 3, 4, 5});
        List<InitramfsPart> parts = List.of(new InitramfsPart.FilePart(file, 5),
                new InitramfsPart.BytesPart(ByteBuffer.wrap(new byte[] {9, 8, 7})));
        try (GuestRam ram = GuestRam.allocate(MemoryLayout.of(new long[] {64L << 20}, 0), "ktstr-test-ram")) {
            long n = new CopyingInitramfsLoader().load(ram, 0x300000, parts);
            assertEquals(8, n);
            assertEquals(8, InitramfsLoader.totalSize(parts));
            byte[] back = new byte[8];
            ram.read(0x300000, back, 0, 8);
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 9, 8, 7}, back);
        }
    }
}

package dev.ktstr.kvm.vmm.boot;

import dev.ktstr.kvm.elf.ElfException;
import dev.ktstr.kvm.elf.ElfFile;
import dev.ktstr.kvm.engine.KernelImage;
import dev.ktstr.kvm.vmm.kvm.Sregs;
import dev.ktstr.kvm.vmm.memory.GuestBlob;
import dev.ktstr.kvm.vmm.memory.GuestRam;
import dev.ktstr.kvm.vmm.x86.BootCpu;
import dev.ktstr.kvm.vmm.x86.BzImage;
import dev.ktstr.kvm.vmm.x86.HvmStartInfo;
import dev.ktstr.kvm.vmm.x86.InvalidKernelException;
import dev.ktstr.kvm.vmm.x86.LowMemory;
import dev.ktstr.kvm.vmm.x86.PageTables;
import dev.ktstr.kvm.vmm.x86.PvhKernel;
import dev.ktstr.kvm.vmm.x86.ZeroPage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A kernel image ready to boot through one of the two entry paths: a bzImage through the 64-bit boot
 * protocol, or an ELF vmlinux through PVH. Parsing happens before any VM exists, so a bad image fails
 * early with a message; loading writes the kernel and its boot information into guest RAM.
 */
public sealed interface BootKernel permits BootKernel.BzImageKernel, BootKernel.PvhElfKernel {

    /** Opens and validates {@code image} in the format it declares. */
    static BootKernel open(KernelImage image) throws InvalidKernelException, IOException {
        return switch (image.format()) {
            case BZIMAGE -> {
                try (FileChannel ch = FileChannel.open(image.path(), StandardOpenOption.READ)) {
                    ByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
                    yield new BzImageKernel(image, BzImage.parse(map), map);
                }
            }
            case ELF_PVH -> {
                try {
                    yield new PvhElfKernel(image, PvhKernel.of(ElfFile.open(image.path())));
                } catch (ElfException e) {
                    throw new InvalidKernelException(e.getMessage());
                }
            }
        };
    }

    /** One past the highest physical address the kernel uses before it reads its memory map. */
    long kernelEnd();

    /** Longest command line in bytes, without the terminating NUL. */
    int cmdlineMax();

    /** Highest address the initrd may end at (exclusive). */
    long initrdLimit();

    /** For logs: which entry path and what kind of image. */
    String describe();

    /** Writes the kernel's own bytes into guest RAM. */
    void load(GuestRam ram) throws IOException;

    /** Boot information blobs (zero page or start info, page tables) for the plan. */
    List<GuestBlob> bootInfo(BootPlan plan);

    /** The boot vCPU's registers. */
    BootCpu.State entryState(Sregs reset);

    /** A bzImage entered at {@code startup_64} (load address + 0x200) with RSI = zero page. */
    record BzImageKernel(KernelImage image, BzImage header, ByteBuffer file) implements BootKernel {

        @Override
        public long kernelEnd() {
            return header.kernelEnd(LowMemory.KERNEL_LOAD);
        }

        @Override
        public int cmdlineMax() {
            return Math.min(header.cmdlineSize() > 0 ? header.cmdlineSize() : 255, LowMemory.CMDLINE_MAX - 1);
        }

        @Override
        public long initrdLimit() {
            return header.initrdAddrMax() + 1;
        }

        @Override
        public String describe() {
            return String.format("bzImage, 64-bit boot protocol %d.%02d", header.protocolVersion() >> 8,
                    header.protocolVersion() & 0xff);
        }

        @Override
        public void load(GuestRam ram) {
            ByteBuffer payload = file.duplicate().position((int) header.payloadOffset());
            ByteBuffer dst = ram.buffer(LowMemory.KERNEL_LOAD, header.payloadSize());
            dst.put(payload);
        }

        @Override
        public List<GuestBlob> bootInfo(BootPlan plan) {
            List<GuestBlob> out = new ArrayList<>(PageTables.identity4GiB());
            out.add(new GuestBlob("zero page", LowMemory.ZERO_PAGE, ZeroPage.build(header, LowMemory.CMDLINE,
                    plan.initrdAddr(), plan.initrdSize(), plan.e820(), plan.acpi().rsdp())));
            return out;
        }

        @Override
        public BootCpu.State entryState(Sregs reset) {
            return BootCpu.longMode(reset, LowMemory.KERNEL_LOAD + BzImage.STARTUP_64_OFFSET, LowMemory.ZERO_PAGE);
        }
    }

    /** An ELF vmlinux entered at its PVH note's 32-bit entry with EBX = {@code hvm_start_info}. */
    record PvhElfKernel(KernelImage image, PvhKernel kernel) implements BootKernel {

        /** Linux's COMMAND_LINE_SIZE on x86 is 2048 bytes including the NUL. */
        public static final int PVH_CMDLINE_MAX = 2047;

        @Override
        public long kernelEnd() {
            return kernel.kernelEnd();
        }

        @Override
        public int cmdlineMax() {
            return PVH_CMDLINE_MAX;
        }

        @Override
        public long initrdLimit() {
            return 1L << 32;
        }

        @Override
        public String describe() {
            return String.format("ELF vmlinux, PVH entry 0x%x", kernel.entry());
        }

        @Override
        public void load(GuestRam ram) throws IOException {
            try {
                for (PvhKernel.Segment s : kernel.segments()) {
                    ByteBuffer src = kernel.elf().bytes(s.offset(), s.filesz());
                    ram.buffer(s.paddr(), s.filesz()).put(src);
                    if (s.memsz() > s.filesz()) {
                        ram.clear(s.paddr() + s.filesz(), s.memsz() - s.filesz());
                    }
                }
            } catch (ElfException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        @Override
        public List<GuestBlob> bootInfo(BootPlan plan) {
            List<HvmStartInfo.Module> modules = plan.initrdSize() > 0
                    ? List.of(new HvmStartInfo.Module(plan.initrdAddr(), plan.initrdSize())) : List.of();
            if (plan.e820().size() > LowMemory.PVH_MEMMAP_MAX) {
                throw new IllegalStateException("memory map has " + plan.e820().size() + " entries, room for "
                        + LowMemory.PVH_MEMMAP_MAX);
            }
            return List.of(
                    new GuestBlob("hvm_start_info", LowMemory.PVH_START_INFO, HvmStartInfo.startInfo(LowMemory.CMDLINE,
                            plan.acpi().rsdp(), modules.size(), LowMemory.PVH_MODLIST, plan.e820().size(),
                            LowMemory.PVH_MEMMAP)),
                    new GuestBlob("PVH module list", LowMemory.PVH_MODLIST, HvmStartInfo.modlist(modules)),
                    new GuestBlob("PVH memory map", LowMemory.PVH_MEMMAP, HvmStartInfo.memmap(plan.e820())));
        }

        @Override
        public BootCpu.State entryState(Sregs reset) {
            return BootCpu.pvh(reset, kernel.entry(), LowMemory.PVH_START_INFO);
        }
    }
}

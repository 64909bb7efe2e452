package dev.ktstr.kvm.vmm.x86;

import dev.ktstr.kvm.elf.ElfException;
import dev.ktstr.kvm.elf.ElfFile;
import java.util.ArrayList;
import java.util.List;

/**
 * An uncompressed ELF kernel (vmlinux) entered through its PVH entry point: the 32-bit physical
 * address in the {@code XEN_ELFNOTE_PHYS32_ENTRY} note (Xen public/elfnote.h, note type 18, owner
 * "Xen") and the {@code PT_LOAD} segments placed at their physical addresses ({@code p_paddr}).
 * Follows the Xen x86/HVM direct boot ABI (xen/include/public/arch-x86/hvm/start_info.h) as Linux
 * implements it in arch/x86/platform/pvh.
 */
public record PvhKernel(ElfFile elf, long entry, List<Segment> segments) {

    public static final int XEN_ELFNOTE_PHYS32_ENTRY = 18;
    public static final int EM_X86_64 = 62;

    /** A loadable segment: {@code filesz} bytes from the file at {@code offset}, zero-filled up to {@code memsz}. */
    public record Segment(long paddr, long offset, long filesz, long memsz) {

        public long end() {
            return paddr + memsz;
        }
    }

    public PvhKernel {
        segments = List.copyOf(segments);
    }

    /** Reads the entry note and the load segments; fails naming what is missing. */
    public static PvhKernel of(ElfFile elf) throws InvalidKernelException {
        if (elf.machine() != EM_X86_64) {
            throw new InvalidKernelException("ELF machine " + elf.machine() + " is not x86-64 (62)");
        }
        Long entry = null;
        try {
            for (ElfFile.Note n : elf.notes()) {
                if (n.name().equals("Xen") && n.type() == XEN_ELFNOTE_PHYS32_ENTRY) {
                    if (n.desc().length < 4) {
                        throw new InvalidKernelException("XEN_ELFNOTE_PHYS32_ENTRY note is " + n.desc().length
                                + " bytes, needs 4");
                    }
                    entry = n.desc().length >= 8 ? n.descBuffer().getLong(0) : Integer.toUnsignedLong(
                            n.descBuffer().getInt(0));
                }
            }
        } catch (ElfException e) {
            throw new InvalidKernelException("cannot read ELF notes: " + e.getMessage());
        }
        if (entry == null) {
            throw new InvalidKernelException("ELF has no XEN_ELFNOTE_PHYS32_ENTRY note (kernel built without "
                    + "CONFIG_PVH?)");
        }
        if (entry >= (1L << 32)) {
            throw new InvalidKernelException(String.format("PVH entry 0x%x is not a 32-bit physical address", entry));
        }
        List<Segment> segs = new ArrayList<>();
        for (ElfFile.ProgramHeader ph : elf.programHeaders()) {
            if (ph.type() != ElfFile.PT_LOAD || ph.memsz() == 0) {
                continue;
            }
            if (ph.filesz() > ph.memsz()) {
                throw new InvalidKernelException(String.format("PT_LOAD at paddr 0x%x has filesz > memsz", ph.paddr()));
            }
            if (ph.paddr() < LowMemory.KERNEL_LOAD) {
                throw new InvalidKernelException(String.format(
                        "PT_LOAD at paddr 0x%x lies below 1 MiB, where the VMM keeps its boot structures", ph.paddr()));
            }
            segs.add(new Segment(ph.paddr(), ph.offset(), ph.filesz(), ph.memsz()));
        }
        if (segs.isEmpty()) {
            throw new InvalidKernelException("ELF has no PT_LOAD segments");
        }
        long entryAddr = entry;
        boolean entryInside = segs.stream().anyMatch(s -> entryAddr >= s.paddr() && entryAddr < s.end());
        if (!entryInside) {
            throw new InvalidKernelException(String.format("PVH entry 0x%x is outside every PT_LOAD segment",
                    entryAddr));
        }
        return new PvhKernel(elf, entryAddr, segs);
    }

    /** One past the highest physical byte the segments occupy. */
    public long kernelEnd() {
        return segments.stream().mapToLong(Segment::end).max().orElseThrow();
    }
}

package dev.ktstr.kvm.introspect;

import dev.ktstr.kvm.engine.GuestMemory;

/**
 * Translates x86-64 kernel virtual addresses to guest physical addresses (Linux
 * Documentation/arch/x86/x86_64/mm.rst, "Complete virtual memory map"): the kernel image mapping
 * ({@code kva - __START_KERNEL_map + phys_base}), the direct map of all RAM ({@code kva -
 * page_offset_base}), and everything else (vmalloc, vmemmap, per-CPU chunks allocated after boot) by
 * walking the kernel's page tables from {@code init_top_pgt} (Intel SDM vol. 3A, 4.5 "4-level paging
 * and 5-level paging"; 1 GiB pages at the PDPT level, 2 MiB pages at the PD level).
 *
 * <p>Reads and writes go straight to guest RAM; a range that crosses a page boundary outside the two
 * linear mappings is translated page by page. Stateless apart from its configuration: safe for
 * concurrent use.
 */
public final class KernelAddressSpace {

    /** {@code __START_KERNEL_map} on x86-64. */
    public static final long START_KERNEL_MAP = 0xffffffff80000000L;
    /** {@code __PAGE_OFFSET_BASE_L4}: the direct map's start with 4-level paging and no KASLR. */
    public static final long PAGE_OFFSET_L4 = 0xffff888000000000L;
    /** {@code __PAGE_OFFSET_BASE_L5}: the direct map's start with 5-level paging and no KASLR. */
    public static final long PAGE_OFFSET_L5 = 0xff11000000000000L;

    private static final long PAGE = 4096;
    private static final long PRESENT = 1;
    private static final long PAGE_SIZE_BIT = 1L << 7;
    private static final long ADDR_MASK = 0x000ffffffffff000L;
    private static final long ADDR_MASK_1G = 0x000fffffc0000000L;
    private static final long ADDR_MASK_2M = 0x000fffffffe00000L;
    /** Direct-map sizes: 64 TiB with 4-level, 32 PiB with 5-level paging (mm.rst). */
    private static final long DIRECT_MAP_L4 = 1L << 46;
    private static final long DIRECT_MAP_L5 = 1L << 55;

    private final GuestMemory mem;
    private final long imageStart;
    private final long imageEnd;
    private final long physBase;
    private final long pageOffsetBase;
    private final int levels;
    private final long rootPa;

    /**
     * @param imageStart     first virtual address of the kernel image (vmlinux {@code .text})
     * @param imageEnd       end of the image's loaded segments; addresses in [start, end) use the
     *                       image mapping arithmetic
     * @param physBase       {@code phys_base}: 0 for a kernel booted with {@code nokaslr}
     * @param pageOffsetBase start of the direct map
     * @param levels         4 or 5 paging levels
     * @param rootPa         guest physical address of the top-level page table ({@code init_top_pgt})
     */
    public KernelAddressSpace(GuestMemory mem, long imageStart, long imageEnd, long physBase, long pageOffsetBase,
            int levels, long rootPa) {
        if (levels != 4 && levels != 5) {
            throw new IllegalArgumentException("paging levels must be 4 or 5, got " + levels);
        }
        this.mem = mem;
        this.imageStart = imageStart;
        this.imageEnd = imageEnd;
        this.physBase = physBase;
        this.pageOffsetBase = pageOffsetBase;
        this.levels = levels;
        this.rootPa = rootPa;
    }

    public GuestMemory memory() {
        return mem;
    }

    public int levels() {
        return levels;
    }

    public long pageOffsetBase() {
        return pageOffsetBase;
    }

    public long rootPa() {
        return rootPa;
    }

    /** Whether {@code kva} is inside the kernel image mapping. */
    public boolean inImage(long kva) {
        return Long.compareUnsigned(kva, imageStart) >= 0 && Long.compareUnsigned(kva, imageEnd) < 0;
    }

    /** Whether {@code kva} is inside the direct map of physical memory. */
    public boolean inDirectMap(long kva) {
        long size = levels == 5 ? DIRECT_MAP_L5 : DIRECT_MAP_L4;
        return Long.compareUnsigned(kva, pageOffsetBase) >= 0 && Long.compareUnsigned(kva - pageOffsetBase, size) < 0;
    }

    /** The guest physical address of {@code kva}: linear arithmetic where it applies, else a walk. */
    public long toPhys(long kva) throws IntrospectException {
        if (inImage(kva)) {
            return kva - START_KERNEL_MAP + physBase;
        }
        if (inDirectMap(kva)) {
            return kva - pageOffsetBase;
        }
        return walk(kva);
    }

    /** Translates {@code kva} by walking the page tables, whatever region it is in. */
    public long walk(long kva) throws IntrospectException {
        long table = rootPa;
        for (int level = levels; level >= 1; level--) {
            int shift = 12 + 9 * (level - 1);
            long index = (kva >>> shift) & 0x1ff;
            long entryPa = table + index * 8;
            if (!mem.contains(entryPa, 8)) {
                throw new IntrospectException("page walk of 0x" + Long.toHexString(kva) + ": level-" + level
                        + " table entry at guest physical 0x" + Long.toHexString(entryPa) + " is outside guest RAM");
            }
            long e = mem.readLong(entryPa);
            if ((e & PRESENT) == 0) {
                throw new IntrospectException("kernel address 0x" + Long.toHexString(kva) + " is not mapped (level-"
                        + level + " entry " + index + " = 0x" + Long.toHexString(e) + " not present)");
            }
            if (level == 3 && (e & PAGE_SIZE_BIT) != 0) {
                return (e & ADDR_MASK_1G) | (kva & ((1L << 30) - 1));
            }
            if (level == 2 && (e & PAGE_SIZE_BIT) != 0) {
                return (e & ADDR_MASK_2M) | (kva & ((1L << 21) - 1));
            }
            table = e & ADDR_MASK;
        }
        return table | (kva & (PAGE - 1));
    }

    /** Reads {@code len} bytes at kernel address {@code kva}. */
    public void read(long kva, byte[] dst, int off, int len) throws IntrospectException {
        access(kva, dst, off, len, false);
    }

    /** Writes {@code len} bytes at kernel address {@code kva}. */
    public void write(long kva, byte[] src, int off, int len) throws IntrospectException {
        access(kva, src, off, len, true);
    }

    private void access(long kva, byte[] buf, int off, int len, boolean write) throws IntrospectException {
        boolean linear = inImage(kva) && inImage(kva + len - 1) || inDirectMap(kva) && inDirectMap(kva + len - 1);
        if (linear) {
            transfer(kva, toPhys(kva), buf, off, len, write);
            return;
        }
        int done = 0;
        while (done < len) {
            long va = kva + done;
            int chunk = (int) Math.min(len - done, PAGE - (va & (PAGE - 1)));
            transfer(va, toPhys(va), buf, off + done, chunk, write);
            done += chunk;
        }
    }

    private void transfer(long kva, long pa, byte[] buf, int off, int len, boolean write) throws IntrospectException {
        if (!mem.contains(pa, len)) {
            throw new IntrospectException("kernel address 0x" + Long.toHexString(kva) + " (+" + len
                    + ") translates to guest physical 0x" + Long.toHexString(pa) + ", outside guest RAM ("
                    + mem.ramBytes() + " bytes)");
        }
        if (write) {
            mem.write(pa, buf, off, len);
        } else {
            mem.read(pa, buf, off, len);
        }
    }
}

package dev.ktstr.kvm.vmm.x86;

import dev.ktstr.kvm.vmm.memory.GuestBlob;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Identity-mapping page tables for the 64-bit boot entry (Intel SDM Vol. 3A 4.5, "4-Level Paging"):
 * one PML4 entry, one PDPT with four entries, and four page directories of 2 MiB pages, mapping
 * guest-physical 0–4 GiB to itself. The boot protocol needs the kernel, zero page and command line
 * mapped; mapping all of the low 4 GiB also covers the initrd and ACPI tables.
 */
public final class PageTables {

    public static final long PRESENT = 1;
    public static final long WRITABLE = 1 << 1;
    public static final long PAGE_SIZE_2M = 1 << 7;
    public static final long MAPPED_BYTES = (long) LowMemory.PD_PAGES << 30;

    private PageTables() {}

    /** The PML4, PDPT and PD pages at {@link LowMemory#PML4}, {@link LowMemory#PDPT} and {@link LowMemory#PD}. */
    public static List<GuestBlob> identity4GiB() {
        List<GuestBlob> out = new ArrayList<>();
        ByteBuffer pml4 = page();
        pml4.putLong(0, LowMemory.PDPT | PRESENT | WRITABLE);
        out.add(new GuestBlob("PML4", LowMemory.PML4, pml4.array()));
        ByteBuffer pdpt = page();
        for (int i = 0; i < LowMemory.PD_PAGES; i++) {
            pdpt.putLong(i * 8, (LowMemory.PD + i * 4096L) | PRESENT | WRITABLE);
        }
        out.add(new GuestBlob("PDPT", LowMemory.PDPT, pdpt.array()));
        for (int i = 0; i < LowMemory.PD_PAGES; i++) {
            ByteBuffer pd = page();
            for (int j = 0; j < 512; j++) {
                long addr = ((long) i << 30) | ((long) j << 21);
                pd.putLong(j * 8, addr | PRESENT | WRITABLE | PAGE_SIZE_2M);
            }
            out.add(new GuestBlob("page directory " + i, LowMemory.PD + i * 4096L, pd.array()));
        }
        return out;
    }

    private static ByteBuffer page() {
        return ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    }
}

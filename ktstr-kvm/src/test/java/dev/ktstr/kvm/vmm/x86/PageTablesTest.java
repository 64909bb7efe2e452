package dev.ktstr.kvm.vmm.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ktstr.kvm.vmm.memory.GuestBlob;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Intel SDM Vol. 3A 4.5: a 4-level walk through the blobs maps every 2 MiB of 0-4 GiB to itself. */
class PageTablesTest {

    @Test
    void identityMapsFourGiBWithLargePages() {
        List<GuestBlob> blobs = PageTables.identity4GiB();
        assertEquals(2 + LowMemory.PD_PAGES, blobs.size());
        Map<Long, ByteBuffer> pages = new HashMap<>();
        for (GuestBlob b : blobs) {
            assertEquals(4096, b.bytes().length);
            pages.put(b.gpa(), ByteBuffer.wrap(b.bytes()).order(ByteOrder.LITTLE_ENDIAN));
        }
        assertEquals(LowMemory.PDPT | 3, pages.get(LowMemory.PML4).getLong(0));
        assertEquals(0, pages.get(LowMemory.PML4).getLong(8));
        for (long va : new long[] {0, 0x7000, 0x100000, 0x20_0000, 0xBFE0_0000L, 0xFEE0_0000L, 0xFFFF_F000L}) {
            assertEquals(va, walk(pages, va), "va 0x" + Long.toHexString(va));
        }
        assertEquals(0, pages.get(LowMemory.PDPT).getLong(8 * LowMemory.PD_PAGES), "nothing above 4 GiB");
    }

    private static long walk(Map<Long, ByteBuffer> pages, long va) {
        long pml4e = pages.get(LowMemory.PML4).getLong((int) ((va >>> 39) & 511) * 8);
        long pdpte = pages.get(pml4e & ~0xFFFL).getLong((int) ((va >>> 30) & 511) * 8);
        long pde = pages.get(pdpte & ~0xFFFL).getLong((int) ((va >>> 21) & 511) * 8);
        assertEquals(PageTables.PRESENT | PageTables.WRITABLE | PageTables.PAGE_SIZE_2M, pde & 0xFFF);
        return (pde & ~0x1F_FFFFL) | (va & 0x1F_FFFFL);
    }
}

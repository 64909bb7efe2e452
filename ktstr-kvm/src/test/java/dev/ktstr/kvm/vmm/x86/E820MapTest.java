package dev.ktstr.kvm.vmm.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ktstr.kvm.vmm.memory.MemoryLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The firmware memory map (zero-page.rst e820_table; ACPI 6.5 ch. 15) for small and large guests. */
class E820MapTest {

    private static final E820Entry LOW = new E820Entry(0, 0x9FC00, E820Entry.RAM);
    private static final E820Entry BIOS = new E820Entry(0x9FC00, 0x60400, E820Entry.RESERVED);
    private static final E820Entry KVM = new E820Entry(0xFFFBC000L, 0x4000, E820Entry.RESERVED);

    @Test
    void smallGuestWithAgentRegion() {
        MemoryLayout l = MemoryLayout.of(new long[] {256L << 20}, 1 << 20);
        assertEquals(List.of(LOW, BIOS, new E820Entry(0x100000, 0xFE00000, E820Entry.RAM),
                new E820Entry(0xFF00000, 0x100000, E820Entry.RESERVED), KVM), E820Map.of(l));
    }

    @Test
    void largeGuestSkipsTheHoleAndReservesTheTopOfHighRam() {
        MemoryLayout l = MemoryLayout.of(new long[] {2L << 30, 2L << 30}, 16 << 20);
        assertEquals(List.of(LOW, BIOS, new E820Entry(0x100000, 0xC000_0000L - 0x100000, E820Entry.RAM), KVM,
                new E820Entry(1L << 32, (1L << 30) - (16 << 20), E820Entry.RAM),
                new E820Entry((1L << 32) + (1L << 30) - (16 << 20), 16 << 20, E820Entry.RESERVED)), E820Map.of(l));
        assertEquals(0xC000_0000L, E820Map.ramEndContaining(E820Map.of(l), 0x100000));
        assertEquals(-1, E820Map.ramEndContaining(E820Map.of(l), 0xC000_0000L));
    }
}

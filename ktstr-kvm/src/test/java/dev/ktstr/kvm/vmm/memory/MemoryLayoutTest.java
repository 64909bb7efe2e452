package dev.ktstr.kvm.vmm.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Node slices, the 3-4 GiB hole, the agent region, and GPA to RAM-offset translation. */
class MemoryLayoutTest {

    private static final long MIB = 1 << 20;
    private static final long GIB = 1L << 30;

    @Test
    void smallGuestIsOneRangePerNode() {
        MemoryLayout l = MemoryLayout.of(new long[] {128 * MIB, 128 * MIB}, 4 * MIB);
        assertEquals(List.of(new MemoryLayout.RamRange(0, 0, 128 * MIB, 0),
                new MemoryLayout.RamRange(1, 128 * MIB, 128 * MIB, 128 * MIB)), l.ranges());
        assertEquals(256 * MIB - 4 * MIB, l.agentGpa());
        assertEquals(256 * MIB, l.lowRamEnd());
        assertEquals(0, l.highRamBytes());
        assertEquals(1, l.nodeOf(200 * MIB));
        assertEquals(-1, l.nodeOf(256 * MIB));
    }

    @Test
    void nodeCrossingTheHoleIsSplit() {
        MemoryLayout l = MemoryLayout.of(new long[] {2 * GIB, 2 * GIB}, 16 * MIB);
        assertEquals(List.of(new MemoryLayout.RamRange(0, 0, 2 * GIB, 0),
                new MemoryLayout.RamRange(1, 2 * GIB, GIB, 2 * GIB),
                new MemoryLayout.RamRange(1, 4 * GIB, GIB, 3 * GIB)), l.ranges());
        assertEquals(5 * GIB - 16 * MIB, l.agentGpa(), "top of high RAM");
        assertEquals(3 * GIB, l.lowRamEnd());
        assertEquals(GIB, l.highRamBytes());
        assertEquals(0x1234, l.ramOffsetOf(0x1234, 8));
        assertEquals(3 * GIB + 5, l.ramOffsetOf(4 * GIB + 5, 8));
        assertEquals(-1, l.ramOffsetOf(3 * GIB, 1), "the hole is not RAM");
        assertEquals(-1, l.ramOffsetOf(3 * GIB - 4, 8), "a range may not run into the hole");
        assertEquals(-1, l.ramOffsetOf(5 * GIB - 4, 8), "nor past the end");
        assertEquals(-1, l.ramOffsetOf(-1, 1));
    }

    @Test
    void rejectsImpossibleRequests() {
        assertThrows(IllegalArgumentException.class, () -> MemoryLayout.of(new long[] {100}, 0));
        assertThrows(IllegalArgumentException.class, () -> MemoryLayout.of(new long[] {64 * MIB}, 123));
        assertThrows(IllegalArgumentException.class, () -> MemoryLayout.of(new long[] {64 * MIB}, 64 * MIB));
        assertThrows(IllegalArgumentException.class, () -> MemoryLayout.of(new long[0], 0));
    }
}

package dev.ktstr.kvm.vmm.memory;

import java.util.ArrayList;
import java.util.List;

/**
 * Where guest RAM sits in the guest-physical address space of a PC: RAM from 0 up to at most 3 GiB,
 * the 32-bit MMIO hole {@code [3 GiB, 4 GiB)} (local APIC, IOAPIC, KVM's TSS pages), and the rest of
 * RAM from 4 GiB up. RAM is one contiguous host mapping; its byte offset ({@code ramOffset}) maps to a
 * GPA by skipping the hole.
 *
 * <p>Each NUMA node owns a contiguous slice of RAM, in node order; a node whose slice crosses the
 * hole becomes two {@link RamRange}s, and each range is one KVM memory slot. The agent region, when
 * asked for, is carved from the top of the highest range (so it never lies in the hole).
 */
public record MemoryLayout(long ramBytes, List<RamRange> ranges, long agentGpa, long agentBytes) {

    public static final long LOW_RAM_LIMIT = 0xC000_0000L;
    public static final long HOLE_END = 1L << 32;
    public static final long HOLE_BYTES = HOLE_END - LOW_RAM_LIMIT;
    public static final long PAGE = 4096;

    /**
     * One KVM memory slot: {@code size} bytes of node {@code node} at guest-physical {@code gpa}, backed
     * by the RAM mapping at byte {@code ramOffset}.
     */
    public record RamRange(int node, long gpa, long size, long ramOffset) {

        public long end() {
            return gpa + size;
        }
    }

    public MemoryLayout {
        ranges = List.copyOf(ranges);
    }

    /**
     * Lays out nodes of the given sizes (bytes, page multiples) and an agent region of
     * {@code agentBytes} (0 for none).
     */
    public static MemoryLayout of(long[] nodeBytes, long agentBytes) {
        if (nodeBytes.length == 0) {
            throw new IllegalArgumentException("at least one NUMA node is needed");
        }
        List<RamRange> ranges = new ArrayList<>();
        long offset = 0;
        for (int node = 0; node < nodeBytes.length; node++) {
            long size = nodeBytes[node];
            if (size <= 0 || size % PAGE != 0) {
                throw new IllegalArgumentException("node " + node + " memory must be a positive multiple of 4 KiB, got "
                        + size);
            }
            long start = offset;
            long end = offset + size;
            if (start < LOW_RAM_LIMIT) {
                long lowEnd = Math.min(end, LOW_RAM_LIMIT);
                ranges.add(new RamRange(node, start, lowEnd - start, start));
            }
            if (end > LOW_RAM_LIMIT) {
                long highStart = Math.max(start, LOW_RAM_LIMIT);
                ranges.add(new RamRange(node, highStart + HOLE_BYTES, end - highStart, highStart));
            }
            offset = end;
        }
        long agentGpa = 0;
        if (agentBytes < 0 || agentBytes % PAGE != 0) {
            throw new IllegalArgumentException("agent region must be a non-negative multiple of 4 KiB, got " + agentBytes);
        }
        if (agentBytes > 0) {
            RamRange top = ranges.get(ranges.size() - 1);
            long contiguous = top.gpa() >= HOLE_END ? top.end() - HOLE_END : top.end();
            if (agentBytes >= contiguous) {
                throw new IllegalArgumentException("agent region of " + agentBytes + " bytes does not fit in the top "
                        + "RAM range [0x" + Long.toHexString(top.end() - contiguous) + ", 0x"
                        + Long.toHexString(top.end()) + ")");
            }
            agentGpa = top.end() - agentBytes;
        }
        return new MemoryLayout(offset, ranges, agentGpa, agentBytes);
    }

    /** End of RAM below the hole (a GPA, at most 3 GiB). */
    public long lowRamEnd() {
        return Math.min(ramBytes, LOW_RAM_LIMIT);
    }

    /** Bytes of RAM above 4 GiB. */
    public long highRamBytes() {
        return Math.max(0, ramBytes - LOW_RAM_LIMIT);
    }

    public boolean hasAgentRegion() {
        return agentBytes > 0;
    }

    /** The RAM mapping offset of {@code gpa}, or -1 when {@code [gpa, gpa+len)} is not entirely RAM. */
    public long ramOffsetOf(long gpa, long len) {
        if (gpa < 0 || len < 0) {
            return -1;
        }
        long end = gpa + len;
        if (end < gpa) {
            return -1;
        }
        if (end <= lowRamEnd()) {
            return gpa;
        }
        if (gpa >= HOLE_END && end <= HOLE_END + highRamBytes()) {
            return gpa - HOLE_BYTES;
        }
        return -1;
    }

    /** The NUMA node owning {@code gpa}, or -1 outside RAM. */
    public int nodeOf(long gpa) {
        for (RamRange r : ranges) {
            if (gpa >= r.gpa() && gpa < r.end()) {
                return r.node();
            }
        }
        return -1;
    }
}

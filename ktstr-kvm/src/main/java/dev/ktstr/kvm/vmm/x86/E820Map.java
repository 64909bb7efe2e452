package dev.ktstr.kvm.vmm.x86;

import dev.ktstr.kvm.vmm.memory.MemoryLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The guest's physical memory map as the firmware would report it: RAM below the EBDA, the legacy
 * BIOS area reserved (it holds the ACPI tables), RAM from 1 MiB to the MMIO hole and above 4 GiB, the
 * agent region reserved so Linux never allocates it, and KVM's TSS/identity-map pages reserved.
 */
public final class E820Map {

    private E820Map() {}

    public static List<E820Entry> of(MemoryLayout layout) {
        List<E820Entry> out = new ArrayList<>();
        out.add(new E820Entry(0, LowMemory.EBDA, E820Entry.RAM));
        out.add(new E820Entry(LowMemory.EBDA, LowMemory.BIOS_END - LowMemory.EBDA, E820Entry.RESERVED));
        addRam(out, LowMemory.BIOS_END, layout.lowRamEnd(), layout);
        if (layout.highRamBytes() > 0) {
            addRam(out, MemoryLayout.HOLE_END, MemoryLayout.HOLE_END + layout.highRamBytes(), layout);
        }
        if (layout.hasAgentRegion()) {
            out.add(new E820Entry(layout.agentGpa(), layout.agentBytes(), E820Entry.RESERVED));
        }
        out.add(new E820Entry(LowMemory.KVM_IDENTITY_MAP, LowMemory.KVM_TSS + 3 * 4096 - LowMemory.KVM_IDENTITY_MAP,
                E820Entry.RESERVED));
        out.sort(Comparator.comparingLong(E820Entry::addr));
        return List.copyOf(out);
    }

    /** RAM in {@code [start, end)} except the agent region. */
    private static void addRam(List<E820Entry> out, long start, long end, MemoryLayout layout) {
        if (end <= start) {
            return;
        }
        long agentStart = layout.agentGpa();
        long agentEnd = agentStart + layout.agentBytes();
        if (!layout.hasAgentRegion() || agentEnd <= start || agentStart >= end) {
            out.add(new E820Entry(start, end - start, E820Entry.RAM));
            return;
        }
        if (agentStart > start) {
            out.add(new E820Entry(start, agentStart - start, E820Entry.RAM));
        }
        if (agentEnd < end) {
            out.add(new E820Entry(agentEnd, end - agentEnd, E820Entry.RAM));
        }
    }

    /** The end of the usable RAM entry containing {@code gpa}, or -1. */
    public static long ramEndContaining(List<E820Entry> map, long gpa) {
        for (E820Entry e : map) {
            if (e.type() == E820Entry.RAM && gpa >= e.addr() && gpa < e.end()) {
                return e.end();
            }
        }
        return -1;
    }
}

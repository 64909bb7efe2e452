package dev.ktstr.runtime.scenario;

import java.util.ArrayList;
import java.util.List;

/**
 * Mode flags for {@code set_mempolicy(2)} (ktstr facts §7): {@code MPOL_F_STATIC_NODES} (1&lt;&lt;15),
 * {@code MPOL_F_RELATIVE_NODES} (1&lt;&lt;14), {@code MPOL_F_NUMA_BALANCING} (1&lt;&lt;13).
 *
 * @param bits the flag bits as the kernel reads them
 */
public record MpolFlags(int bits) {

    public static final MpolFlags NONE = new MpolFlags(0);
    public static final MpolFlags STATIC_NODES = new MpolFlags(1 << 15);
    public static final MpolFlags RELATIVE_NODES = new MpolFlags(1 << 14);
    public static final MpolFlags NUMA_BALANCING = new MpolFlags(1 << 13);

    private static final int ALL = (1 << 15) | (1 << 14) | (1 << 13);

    public MpolFlags {
        if ((bits & ~ALL) != 0) {
            throw new IllegalArgumentException("unknown mempolicy flag bits 0x" + Integer.toHexString(bits & ~ALL));
        }
        if ((bits & (1 << 15)) != 0 && (bits & (1 << 14)) != 0) {
            throw new IllegalArgumentException("MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES are mutually exclusive");
        }
    }

    /** Both sets of flags. */
    public MpolFlags or(MpolFlags other) {
        return new MpolFlags(bits | other.bits);
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        if ((bits & STATIC_NODES.bits) != 0) {
            names.add("STATIC_NODES");
        }
        if ((bits & RELATIVE_NODES.bits) != 0) {
            names.add("RELATIVE_NODES");
        }
        if ((bits & NUMA_BALANCING.bits) != 0) {
            names.add("NUMA_BALANCING");
        }
        return names.isEmpty() ? "NONE" : String.join("|", names);
    }
}

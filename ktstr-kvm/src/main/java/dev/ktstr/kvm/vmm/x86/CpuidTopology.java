package dev.ktstr.kvm.vmm.x86;

import dev.ktstr.kvm.vmm.kvm.CpuidEntry;
import dev.ktstr.topology.Topology;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;

/**
 * Per-vCPU CPUID built from {@code KVM_GET_SUPPORTED_CPUID}, patched so the guest sees the exact
 * topology (Intel SDM Vol. 2A "CPUID", leaves 01H, 04H, 0AH, 0BH, 1FH; AMD APM Vol. 3 appendix E,
 * leaves 8000_0001h, 8000_0008h, 8000_001Dh, 8000_001Eh; KVM's Documentation/virt/kvm/x86/cpuid.rst
 * for 4000_0000h). APIC id layout is {@link Topology#apicIdOf}: {@code llc | core | thread} bit
 * fields, so each LLC presents as its own package.
 */
public final class CpuidTopology {

    public static final int LEAF_BASIC = 0x0;
    public static final int LEAF_FEATURES = 0x1;
    public static final int LEAF_CACHE = 0x4;
    public static final int LEAF_PMU = 0xA;
    public static final int LEAF_TOPOLOGY = 0xB;
    public static final int LEAF_TOPOLOGY_V2 = 0x1F;
    public static final int LEAF_HYPERVISOR = 0x4000_0000;
    public static final int LEAF_KVM_FEATURES = 0x4000_0001;
    public static final int LEAF_TSC_FREQUENCY = 0x4000_0010;
    public static final int LEAF_EXT_FEATURES = 0x8000_0001;
    public static final int LEAF_ADDRESS_SIZES = 0x8000_0008;
    public static final int LEAF_AMD_CACHE = 0x8000_001D;
    public static final int LEAF_AMD_TOPOLOGY = 0x8000_001E;

    public static final int EDX_HTT = 1 << 28;
    public static final int ECX_CMP_LEGACY = 1 << 1;
    public static final int ECX_TOPOEXT = 1 << 22;
    public static final int LEVEL_SMT = 1;
    public static final int LEVEL_CORE = 2;
    /** "KVMKVMKVM\0\0\0" as EBX, ECX, EDX. */
    public static final int KVM_SIG_EBX = 0x4b4d564b;
    public static final int KVM_SIG_ECX = 0x564b4d56;
    public static final int KVM_SIG_EDX = 0x0000004d;
    /** KVM's local APIC timer counts at 1 GHz (one tick per ns). */
    public static final int APIC_BUS_KHZ = 1_000_000;

    private CpuidTopology() {}

    /**
     * CPUID for {@code cpu}: {@code supported} with the topology leaves rewritten, the PMU leaf zeroed,
     * the KVM signature present and, when {@code tscKhz} is known, the TSC frequency leaf
     * 0x40000010 (EAX = TSC kHz, EBX = APIC bus kHz).
     */
    public static List<CpuidEntry> forCpu(List<CpuidEntry> supported, Topology topo, int cpu, OptionalInt tscKhz) {
        int threads = topo.threadsPerCore();
        int cores = topo.coresPerLlc();
        int smtShift = Topology.bitsFor(threads);
        int coreShift = smtShift + Topology.bitsFor(cores);
        int perLlc = threads * cores;
        int apicId = topo.apicIdOf(cpu);
        boolean amd = isAmd(supported);
        int maxBasic = supported.stream().filter(e -> e.function() == LEAF_BASIC).mapToInt(CpuidEntry::eax).findFirst()
                .orElse(0);
        int newMaxBasic = Math.max(maxBasic, LEAF_TOPOLOGY);
        boolean withV2 = maxBasic >= LEAF_TOPOLOGY_V2;
        int hypervisorMax = tscKhz.isPresent() ? LEAF_TSC_FREQUENCY : LEAF_KVM_FEATURES;

        List<CpuidEntry> out = new ArrayList<>();
        boolean sawHypervisor = false;
        boolean sawAmdTopology = false;
        for (CpuidEntry e : supported) {
            switch (e.function()) {
                case LEAF_BASIC -> out.add(e.withEax(newMaxBasic));
                case LEAF_FEATURES -> {
                    int ebx = (e.ebx() & 0x0000_FFFF) | (Math.min(255, perLlc) << 16) | ((apicId & 0xFF) << 24);
                    int edx = perLlc > 1 ? e.edx() | EDX_HTT : e.edx() & ~EDX_HTT;
                    out.add(e.withEbx(ebx).withEdx(edx));
                }
                case LEAF_CACHE, LEAF_AMD_CACHE -> out.add(cacheSharing(e, smtShift, coreShift, cores,
                        e.function() == LEAF_CACHE));
                case LEAF_PMU -> out.add(new CpuidEntry(e.function(), e.index(), e.flags(), 0, 0, 0, 0));
                case LEAF_TOPOLOGY, LEAF_TOPOLOGY_V2, LEAF_TSC_FREQUENCY -> {
                    // replaced below
                }
                case LEAF_HYPERVISOR -> {
                    sawHypervisor = true;
                    out.add(new CpuidEntry(LEAF_HYPERVISOR, 0, e.flags(), Math.max(e.eax(), hypervisorMax), KVM_SIG_EBX,
                            KVM_SIG_ECX, KVM_SIG_EDX));
                }
                case LEAF_EXT_FEATURES -> {
                    int ecx = e.ecx();
                    if (amd && perLlc > 1) {
                        ecx |= ECX_CMP_LEGACY | ECX_TOPOEXT;
                    }
                    out.add(e.withEcx(ecx));
                }
                case LEAF_ADDRESS_SIZES -> out.add(e.withEcx((e.ecx() & ~0xF0FF) | (coreShift << 12)
                        | ((perLlc - 1) & 0xFF)));
                case LEAF_AMD_TOPOLOGY -> {
                    sawAmdTopology = true;
                    out.add(amdTopology(e.flags(), topo, cpu, apicId));
                }
                default -> out.add(e);
            }
        }
        if (!sawHypervisor) {
            out.add(new CpuidEntry(LEAF_HYPERVISOR, 0, 0, hypervisorMax, KVM_SIG_EBX, KVM_SIG_ECX, KVM_SIG_EDX));
        }
        if (amd && !sawAmdTopology && perLlc > 1) {
            out.add(amdTopology(0, topo, cpu, apicId));
        }
        out.addAll(topologyLeaf(LEAF_TOPOLOGY, smtShift, coreShift, threads, perLlc, apicId));
        if (withV2) {
            out.addAll(topologyLeaf(LEAF_TOPOLOGY_V2, smtShift, coreShift, threads, perLlc, apicId));
        }
        if (tscKhz.isPresent()) {
            out.add(new CpuidEntry(LEAF_TSC_FREQUENCY, 0, 0, tscKhz.getAsInt(), APIC_BUS_KHZ, 0, 0));
        }
        out.sort(Comparator.comparingLong((CpuidEntry e) -> Integer.toUnsignedLong(e.function()))
                .thenComparingInt(CpuidEntry::index));
        return List.copyOf(out);
    }

    /** Whether leaf 0's vendor string is AMD's (or Hygon's, which follows AMD's leaves). */
    public static boolean isAmd(List<CpuidEntry> leaves) {
        String v = vendor(leaves);
        return v.equals("AuthenticAMD") || v.equals("HygonGenuine");
    }

    /** The 12-character vendor string of leaf 0 (EBX, EDX, ECX), or "" without leaf 0. */
    public static String vendor(List<CpuidEntry> leaves) {
        for (CpuidEntry e : leaves) {
            if (e.function() == LEAF_BASIC) {
                StringBuilder sb = new StringBuilder();
                for (int reg : new int[] {e.ebx(), e.edx(), e.ecx()}) {
                    for (int i = 0; i < 4; i++) {
                        sb.append((char) ((reg >>> (8 * i)) & 0xFF));
                    }
                }
                return sb.toString();
            }
        }
        return "";
    }

    /**
     * Leaf 04H / 8000_001Dh EAX[25:14] = logical processors sharing the cache − 1 (L1/L2 per core,
     * L3 per LLC); leaf 04H EAX[31:26] = addressable core ids per package − 1.
     */
    static CpuidEntry cacheSharing(CpuidEntry e, int smtShift, int coreShift, int cores, boolean intelLeaf) {
        if ((e.eax() & 0x1F) == 0) {
            return e;
        }
        int level = (e.eax() >>> 5) & 0x7;
        int sharing = (level <= 2 ? (1 << smtShift) : (1 << coreShift)) - 1;
        int eax = (e.eax() & ~(0xFFF << 14)) | ((sharing & 0xFFF) << 14);
        if (intelLeaf) {
            eax = (eax & 0x03FF_FFFF) | ((((1 << Topology.bitsFor(cores)) - 1) & 0x3F) << 26);
        }
        return new CpuidEntry(e.function(), e.index(), e.flags() | CpuidEntry.FLAG_SIGNIFICANT_INDEX, eax, e.ebx(),
                e.ecx(), e.edx());
    }

    /** Leaf 0BH or 1FH: subleaf 0 = SMT level, 1 = core level (the package is the LLC), 2 = invalid. */
    static List<CpuidEntry> topologyLeaf(int leaf, int smtShift, int coreShift, int threads, int perLlc, int apicId) {
        int f = CpuidEntry.FLAG_SIGNIFICANT_INDEX;
        return List.of(new CpuidEntry(leaf, 0, f, smtShift, threads, (LEVEL_SMT << 8), apicId),
                new CpuidEntry(leaf, 1, f, coreShift, perLlc, (LEVEL_CORE << 8) | 1, apicId),
                new CpuidEntry(leaf, 2, f, 0, 0, 2, apicId));
    }

    /** AMD 8000_001Eh: extended APIC id, core id and threads per core − 1, node id and nodes − 1. */
    static CpuidEntry amdTopology(int flags, Topology topo, int cpu, int apicId) {
        int ebx = (topo.coreOf(cpu) & 0xFF) | ((topo.threadsPerCore() - 1) << 8);
        int ecx = (topo.nodeOf(cpu) & 0xFF) | ((topo.numaNodes() - 1) << 8);
        return new CpuidEntry(LEAF_AMD_TOPOLOGY, 0, flags, apicId, ebx, ecx, 0);
    }
}

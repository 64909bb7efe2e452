package dev.ktstr.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A VM's CPU shape: {@code numaNodes} nodes holding {@code llcs} last-level caches in total, each LLC
 * holding {@code coresPerLlc} cores of {@code threadsPerCore} SMT threads.
 *
 * <p>CPUs are numbered sequentially: {@code thread = id % T}, {@code core = (id / T) % C},
 * {@code llc = id / (T*C)}, and LLC {@code l} sits on node {@code l / (llcs / numaNodes)}. The same
 * numbering drives the VM's APIC ids, ACPI tables and the host-side resolution of cpusets, so what
 * the host asks for and what the guest sees agree by construction.
 */
public record Topology(int numaNodes, int llcs, int coresPerLlc, int threadsPerCore) {

    private static final Pattern RENDERED = Pattern.compile("(\\d+)n(\\d+)l(\\d+)c(\\d+)t");

    public Topology {
        if (numaNodes <= 0 || llcs <= 0 || coresPerLlc <= 0 || threadsPerCore <= 0) {
            throw new IllegalArgumentException(
                    "topology sizes must be positive: " + render(numaNodes, llcs, coresPerLlc, threadsPerCore));
        }
        if (llcs % numaNodes != 0) {
            throw new IllegalArgumentException("llcs (" + llcs + ") must be a multiple of numaNodes (" + numaNodes
                    + "): every node holds the same number of LLCs");
        }
    }

    /** One node, {@code llcs} LLCs. */
    public static Topology of(int llcs, int coresPerLlc, int threadsPerCore) {
        return new Topology(1, llcs, coresPerLlc, threadsPerCore);
    }

    /** Parses {@code "2n4l2c2t"} (the {@link #render()} form) or {@code "2,4,2,2"} (n,l,c,t). */
    public static Topology parse(String text) {
        String s = text.trim();
        Matcher m = RENDERED.matcher(s);
        if (m.matches()) {
            return new Topology(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)));
        }
        String[] parts = s.split(",");
        if (parts.length == 4) {
            try {
                return new Topology(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()),
                        Integer.parseInt(parts[2].trim()), Integer.parseInt(parts[3].trim()));
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException(
                "not a topology: '" + text + "' (expected e.g. 2n4l2c2t or 2,4,2,2 as nodes,llcs,cores,threads)");
    }

    public int totalCpus() {
        return llcs * coresPerLlc * threadsPerCore;
    }

    public int cpusPerLlc() {
        return coresPerLlc * threadsPerCore;
    }

    public int llcsPerNode() {
        return llcs / numaNodes;
    }

    public int cpusPerNode() {
        return llcsPerNode() * cpusPerLlc();
    }

    public boolean hasSmt() {
        return threadsPerCore > 1;
    }

    /** The canonical short form, e.g. {@code 1n2l4c2t}. */
    public String render() {
        return render(numaNodes, llcs, coresPerLlc, threadsPerCore);
    }

    private static String render(int n, int l, int c, int t) {
        return n + "n" + l + "l" + c + "c" + t + "t";
    }

    @Override
    public String toString() {
        return render();
    }

    public int threadOf(int cpu) {
        checkCpu(cpu);
        return cpu % threadsPerCore;
    }

    /** The core index within its LLC. */
    public int coreOf(int cpu) {
        checkCpu(cpu);
        return (cpu / threadsPerCore) % coresPerLlc;
    }

    /** The global core index (unique across LLCs). */
    public int globalCoreOf(int cpu) {
        checkCpu(cpu);
        return cpu / threadsPerCore;
    }

    public int llcOf(int cpu) {
        checkCpu(cpu);
        return cpu / cpusPerLlc();
    }

    public int nodeOfLlc(int llc) {
        if (llc < 0 || llc >= llcs) {
            throw new IndexOutOfBoundsException("LLC " + llc + " outside " + render());
        }
        return llc / llcsPerNode();
    }

    public int nodeOf(int cpu) {
        return nodeOfLlc(llcOf(cpu));
    }

    public CpuSet allCpus() {
        return CpuSet.range(0, totalCpus());
    }

    public CpuSet cpusOfLlc(int llc) {
        nodeOfLlc(llc);
        return CpuSet.range(llc * cpusPerLlc(), (llc + 1) * cpusPerLlc());
    }

    public CpuSet cpusOfNode(int node) {
        if (node < 0 || node >= numaNodes) {
            throw new IndexOutOfBoundsException("node " + node + " outside " + render());
        }
        return CpuSet.range(node * cpusPerNode(), (node + 1) * cpusPerNode());
    }

    /** The SMT siblings of {@code cpu}, itself included. */
    public CpuSet siblingsOf(int cpu) {
        int first = globalCoreOf(cpu) * threadsPerCore;
        return CpuSet.range(first, first + threadsPerCore);
    }

    /** LLC indexes that belong to {@code node}. */
    public List<Integer> llcsOfNode(int node) {
        cpusOfNode(node);
        List<Integer> out = new ArrayList<>();
        for (int l = node * llcsPerNode(); l < (node + 1) * llcsPerNode(); l++) {
            out.add(l);
        }
        return out;
    }

    /** Default SLIT distances: 10 local, 20 remote. */
    public NumaDistances distances() {
        return NumaDistances.uniform(numaNodes);
    }

    /** Bits needed to hold {@code n} distinct values: {@code ceil(log2 n)}, 0 for n = 1. */
    public static int bitsFor(int n) {
        return n <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(n - 1);
    }

    /**
     * The x86 APIC id of {@code cpu}: {@code llc << (bits(C)+bits(T)) | core << bits(T) | thread}, so
     * that every LLC appears to the guest as its own package.
     */
    public int apicIdOf(int cpu) {
        int smtShift = bitsFor(threadsPerCore);
        int coreShift = smtShift + bitsFor(coresPerLlc);
        return (llcOf(cpu) << coreShift) | (coreOf(cpu) << smtShift) | threadOf(cpu);
    }

    private void checkCpu(int cpu) {
        if (cpu < 0 || cpu >= totalCpus()) {
            throw new IndexOutOfBoundsException("CPU " + cpu + " outside " + render() + " (" + totalCpus() + " CPUs)");
        }
    }
}

package dev.ktstr.runtime.agent;

import dev.ktstr.runtime.measure.LatencyHistogram;
import dev.ktstr.runtime.measure.WorkerReport;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire encoding of worker group specs ({@code KTSTR_MSG_W_SPAWN}) and worker reports
 * ({@code KTSTR_MSG_W_STOP}'s reply), mirroring {@code struct kw_group_spec} and {@code struct kw_report}
 * of {@code ktstr-agent/src/main/c/include/ktstr_work.h} field for field. Golden vectors in
 * {@code ktstr-agent/src/test/resources/wire} are checked by both sides, so the two encodings cannot drift
 * apart. Stateless.
 */
public final class WorkWire {

    /** Migrations kept with timestamps per report ({@code KW_MAX_MIGRATIONS}). */
    public static final int MAX_MIGRATIONS = 256;
    /** NUMA nodes per report ({@code KW_MAX_NODES}). */
    public static final int MAX_NODES = 64;
    /**
     * The encoding of a report with every list empty (a sentinel, a Custom program): 26 bytes of
     * identity and flags, 6 u64 counters, the migration count, the empty CPU list, the gap (20), the
     * empty histogram (36), 5 u64 schedstat/switch fields, the node count, 2 u64.
     */
    static final int MIN_REPORT_BYTES = 26 + 48 + 4 + 4 + 20 + 36 + 40 + 4 + 16;

    private WorkWire() {}

    /** The {@code W_SPAWN} payload of a spec. */
    public static byte[] encode(WorkerGroupSpec spec) {
        WireWriter w = new WireWriter();
        encode(w, spec);
        return w.toByteArray();
    }

    /** Appends a spec: group_id, cgroup, type, params, phases, custom_argv, count, policy, priority, nice, affinity,
     * mempolicy, mem_nodes, mpol_flags. */
    public static void encode(WireWriter w, WorkerGroupSpec spec) {
        w.u32(spec.groupId()).str(spec.cgroup()).u32(spec.type());
        w.u32(spec.params().size());
        for (long p : spec.params()) {
            w.u64(p);
        }
        w.u32(spec.phases().size());
        for (WorkerGroupSpec.Phase ph : spec.phases()) {
            w.u32(ph.kind()).u64(ph.durationNs());
        }
        w.strs(spec.customArgv());
        w.u32(spec.count()).u32(spec.policy()).u32(spec.priority()).i32(spec.nice());
        w.strs(spec.affinity());
        w.u32(spec.memPolicy()).str(spec.memNodes()).u32(spec.mpolFlags());
    }

    /** Reads a spec (the agent's side of {@link #encode(WireWriter, WorkerGroupSpec)}; used by tests and fakes). */
    public static WorkerGroupSpec decodeSpec(WireReader r) {
        int groupId = r.u32AsInt();
        String cgroup = r.str();
        int type = r.u32AsInt();
        int nparams = boundedCount(r, "parameters", 4, 8);
        List<Long> params = new ArrayList<>(nparams);
        for (int i = 0; i < nparams; i++) {
            params.add(r.u64());
        }
        int nphases = boundedCount(r, "phases", 32, 12);
        List<WorkerGroupSpec.Phase> phases = new ArrayList<>(nphases);
        for (int i = 0; i < nphases; i++) {
            phases.add(new WorkerGroupSpec.Phase(r.u32AsInt(), r.u64()));
        }
        List<String> argv = r.strs();
        int count = r.u32AsInt();
        int policy = r.u32AsInt();
        int priority = r.u32AsInt();
        int nice = r.i32();
        List<String> affinity = r.strs();
        int memPolicy = r.u32AsInt();
        String memNodes = r.str();
        int mpolFlags = (int) r.u32();
        try {
            return new WorkerGroupSpec(groupId, cgroup, type, params, phases, argv, count, policy, priority, nice,
                    affinity, memPolicy, memNodes, mpolFlags);
        } catch (IllegalArgumentException e) {
            throw new WireFormatException("worker spec: " + e.getMessage());
        }
    }

    /** Reads a {@code W_STOP} reply: u32 count, then count reports. */
    public static List<WorkerReport> decodeReports(WireReader r) {
        int n = r.u32AsInt();
        // a cheap bound against a corrupt count: no report is shorter than an empty one
        if ((long) n * MIN_REPORT_BYTES > r.remaining()) {
            throw new WireFormatException(n + " worker reports cannot fit in " + r.remaining() + " bytes");
        }
        List<WorkerReport> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(decodeReport(r));
        }
        return out;
    }

    /** Reads one {@code struct kw_report}. */
    public static WorkerReport decodeReport(WireReader r) {
        int groupId = r.u32AsInt();
        int index = r.u32AsInt();
        int pid = r.i32();
        long kind = r.u32();
        WorkerReport.ExitKind[] kinds = WorkerReport.ExitKind.values();
        if (kind >= kinds.length) {
            throw new WireFormatException("worker report " + groupId + "/" + index + ": unknown exit kind " + kind);
        }
        int exitCode = r.i32();
        int termSignal = r.i32();
        boolean completed = r.u8() != 0;
        boolean messenger = r.u8() != 0;
        long workUnits = r.u64();
        long iterations = r.u64();
        long cpuTimeNs = r.u64();
        long wallTimeNs = r.u64();
        long offCpuNs = r.u64();
        long migrationCount = r.u64();
        int nmig = boundedCount(r, "migrations", MAX_MIGRATIONS, 16);
        List<WorkerReport.Migration> migrations = new ArrayList<>(nmig);
        for (int i = 0; i < nmig; i++) {
            long at = r.u64();
            migrations.add(new WorkerReport.Migration(at, r.u32AsInt(), r.u32AsInt()));
        }
        String cpusUsed = r.str();
        long maxGapNs = r.u64();
        int maxGapCpu = r.i32();
        long maxGapAtNs = r.u64();
        LatencyHistogram hist = decodeHistogram(r);
        long ssCpu = r.u64();
        long ssDelay = r.u64();
        long ssCount = r.u64();
        long vol = r.u64();
        long invol = r.u64();
        int nnodes = boundedCount(r, "NUMA nodes", MAX_NODES, 8);
        List<Long> pages = new ArrayList<>(nnodes);
        for (int i = 0; i < nnodes; i++) {
            pages.add(r.u64());
        }
        long migrated = r.u64();
        long children = r.u64();
        return new WorkerReport(groupId, index, pid, kinds[(int) kind], exitCode, termSignal, completed, messenger,
                workUnits, iterations, cpuTimeNs, wallTimeNs, offCpuNs, migrationCount, migrations, cpusUsed, maxGapNs,
                maxGapCpu, maxGapAtNs, hist, ssCpu, ssDelay, ssCount, vol, invol, pages, migrated, children);
    }

    private static LatencyHistogram decodeHistogram(WireReader r) {
        long count = r.u64();
        long sum = r.u64();
        long min = r.u64();
        long max = r.u64();
        int nb = boundedCount(r, "histogram buckets", LatencyHistogram.BUCKETS, 8);
        int[] idx = new int[nb];
        long[] counts = new long[nb];
        for (int i = 0; i < nb; i++) {
            long b = r.u32();
            if (b >= LatencyHistogram.BUCKETS || (i > 0 && b <= idx[i - 1])) {
                throw new WireFormatException("histogram bucket index " + b + " out of order or range");
            }
            idx[i] = (int) b;
            counts[i] = r.u32();
        }
        try {
            return LatencyHistogram.ofSparse(count, sum, min, max, idx, counts);
        } catch (IllegalArgumentException e) {
            throw new WireFormatException("latency histogram: " + e.getMessage());
        }
    }

    /** Appends a report exactly as the agent encodes it (for fakes of the agent and tests). */
    public static void encodeReport(WireWriter w, WorkerReport rep) {
        if (rep.migrations().size() > MAX_MIGRATIONS || rep.pagesOnNode().size() > MAX_NODES) {
            throw new IllegalArgumentException("more than " + MAX_MIGRATIONS + " migrations or " + MAX_NODES + " nodes");
        }
        w.u32(rep.groupId()).u32(rep.index()).i32(rep.pid()).u32(rep.exitKind().ordinal());
        w.i32(rep.exitCode()).i32(rep.termSignal()).u8(rep.completed() ? 1 : 0).u8(rep.messenger() ? 1 : 0);
        w.u64(rep.workUnits()).u64(rep.iterations()).u64(rep.cpuTimeNs()).u64(rep.wallTimeNs()).u64(rep.offCpuNs());
        w.u64(rep.migrationCount()).u32(rep.migrations().size());
        for (WorkerReport.Migration m : rep.migrations()) {
            w.u64(m.atNs()).u32(m.fromCpu()).u32(m.toCpu());
        }
        w.str(rep.cpusUsed()).u64(rep.maxGapNs()).i32(rep.maxGapCpu()).u64(rep.maxGapAtNs());
        LatencyHistogram h = rep.wakeLatency();
        w.u64(h.count()).u64(h.sumNs()).u64(h.minNs()).u64(h.maxNs());
        int[] idx = h.nonEmptyIndexes();
        w.u32(idx.length);
        for (int i : idx) {
            w.u32(i).u32(h.bucket(i));
        }
        w.u64(rep.schedstatCpuTimeNs()).u64(rep.schedstatRunDelayNs()).u64(rep.schedstatRunCount());
        w.u64(rep.voluntarySwitches()).u64(rep.involuntarySwitches());
        w.u32(rep.pagesOnNode().size());
        for (long p : rep.pagesOnNode()) {
            w.u64(p);
        }
        w.u64(rep.numaPagesMigrated()).u64(rep.children());
    }

    /** A u32 count with an upper bound and a per-entry size that must fit what is left. */
    private static int boundedCount(WireReader r, String what, int max, int entryBytes) {
        long n = r.u32();
        if (n > max || n * entryBytes > r.remaining()) {
            throw new WireFormatException(n + " " + what + ": above " + max + " or more than the " + r.remaining()
                    + " bytes left");
        }
        return (int) n;
    }
}

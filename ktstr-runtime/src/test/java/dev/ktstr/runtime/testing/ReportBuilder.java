package dev.ktstr.runtime.testing;

import dev.ktstr.runtime.measure.LatencyHistogram;
import dev.ktstr.runtime.measure.WorkerReport;
import java.util.List;

/** Builds synthetic {@link WorkerReport}s: a healthy 1 s CpuSpin worker unless told otherwise. */
public final class ReportBuilder {

    private int groupId = 1;
    private int index;
    private int pid = 100;
    private WorkerReport.ExitKind exitKind = WorkerReport.ExitKind.OK;
    private int exitCode;
    private int termSignal;
    private boolean messenger;
    private long workUnits = 1_000_000;
    private long iterations = 1_000;
    private long cpuTimeNs = 1_000_000_000L;
    private long wallTimeNs = 1_000_000_000L;
    private long offCpuNs;
    private long migrationCount;
    private String cpusUsed = "0";
    private long maxGapNs = 1_000_000;
    private int maxGapCpu;
    private long maxGapAtNs = 500_000_000;
    private LatencyHistogram wake = LatencyHistogram.empty();
    private long runDelayNs;
    private List<Long> pagesOnNode = List.of();
    private long numaPagesMigrated;

    public static ReportBuilder worker(int index) {
        ReportBuilder b = new ReportBuilder();
        b.index = index;
        b.pid = 100 + index;
        return b;
    }

    public ReportBuilder group(int g) {
        groupId = g;
        return this;
    }

    public ReportBuilder pid(int p) {
        pid = p;
        return this;
    }

    public ReportBuilder exit(WorkerReport.ExitKind k, int code, int signal) {
        exitKind = k;
        exitCode = code;
        termSignal = signal;
        return this;
    }

    public ReportBuilder messenger() {
        messenger = true;
        return this;
    }

    public ReportBuilder work(long units, long iters) {
        workUnits = units;
        iterations = iters;
        return this;
    }

    /** CPU and wall time; off-CPU time is the difference. */
    public ReportBuilder time(long cpuNs, long wallNs) {
        cpuTimeNs = cpuNs;
        wallTimeNs = wallNs;
        offCpuNs = wallNs - cpuNs;
        return this;
    }

    public ReportBuilder migrations(long n) {
        migrationCount = n;
        return this;
    }

    public ReportBuilder cpus(String list) {
        cpusUsed = list;
        return this;
    }

    public ReportBuilder gap(long ns, int cpu, long atNs) {
        maxGapNs = ns;
        maxGapCpu = cpu;
        maxGapAtNs = atNs;
        return this;
    }

    public ReportBuilder wake(long... samplesNs) {
        wake = LatencyHistogram.ofValues(samplesNs);
        return this;
    }

    public ReportBuilder runDelay(long ns) {
        runDelayNs = ns;
        return this;
    }

    public ReportBuilder pages(List<Long> perNode, long migrated) {
        pagesOnNode = perNode;
        numaPagesMigrated = migrated;
        return this;
    }

    public WorkerReport build() {
        return new WorkerReport(groupId, index, pid, exitKind, exitCode, termSignal, false, messenger, workUnits,
                iterations, cpuTimeNs, wallTimeNs, offCpuNs, migrationCount, List.of(), cpusUsed, maxGapNs, maxGapCpu,
                maxGapAtNs, wake, cpuTimeNs, runDelayNs, iterations, 0, 0, pagesOnNode, numaPagesMigrated, 0);
    }
}

package dev.ktstr.runtime.checks;

import dev.ktstr.runtime.result.CgroupStats;
import dev.ktstr.topology.CpuSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The human {@code --- stats ---} block of a failure report (ktstr facts §8): one summary line
 * ({@code N workers, M cpus, K migrations, worst_spread=…%, worst_gap=…ms}) and one line per cgroup.
 */
public final class StatsBlock {

    private StatsBlock() {}

    public static String format(List<CgroupStats> cgroups, Map<String, Double> metrics) {
        StringBuilder sb = new StringBuilder("--- stats ---\n");
        int workers = cgroups.stream().mapToInt(CgroupStats::workers).sum();
        CpuSet cpus = CpuSet.empty();
        for (CgroupStats c : cgroups) {
            cpus = cpus.union(CpuSet.parse(c.cpusUsed()));
        }
        sb.append(String.format(Locale.ROOT, "%d workers, %d cpus, %d migrations, worst_spread=%s%%, worst_gap=%sms%n",
                workers, cpus.size(), cgroups.stream().mapToLong(CgroupStats::totalMigrations).sum(),
                num(metrics.getOrDefault(ScenarioMetrics.WORST_SPREAD, Double.NaN), 1),
                num(metrics.getOrDefault(ScenarioMetrics.WORST_GAP_MS, Double.NaN), 0)));
        for (CgroupStats c : cgroups) {
            sb.append(String.format(Locale.ROOT,
                    "  %s: %d workers, cpus %s, off-cpu %s..%s%%, spread %s%%, gap %sms (cpu %d), migrations %d, "
                            + "iterations %d",
                    c.name(), c.workers(), c.cpusUsed().isEmpty() ? "-" : c.cpusUsed(), num(c.minOffCpuPct(), 1),
                    num(c.maxOffCpuPct(), 1), num(c.spreadPct(), 1), num(c.maxGapMs(), 0), c.maxGapCpu(),
                    c.totalMigrations(), c.totalIterations()));
            if (!Double.isNaN(c.p99WakeLatencyUs())) {
                sb.append(String.format(Locale.ROOT, ", wake p50/p99 %s/%sus", num(c.medianWakeLatencyUs(), 1),
                        num(c.p99WakeLatencyUs(), 1)));
            }
            if (!Double.isNaN(c.meanRunDelayUs())) {
                sb.append(String.format(Locale.ROOT, ", run delay mean %sus", num(c.meanRunDelayUs(), 0)));
            }
            if (!Double.isNaN(c.pageLocality())) {
                sb.append(String.format(Locale.ROOT, ", page locality %s%%", num(100 * c.pageLocality(), 1)));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String num(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}

/**
 * What makes a run fail and what it measured (ktstr facts §8, §9): merged
 * {@link dev.ktstr.runtime.checks.Thresholds}, the per-cgroup worker checks as small pure functions
 * over {@link dev.ktstr.runtime.checks.CgroupSample}s ({@link dev.ktstr.runtime.checks.WorkerChecks},
 * run together by {@link dev.ktstr.runtime.checks.CheckSuite}), the named failure kinds and how an
 * {@code ExpectedFailure} matches them ({@link dev.ktstr.runtime.checks.FailureKind}), per-cgroup
 * statistics and the scenario metrics with their registry names
 * ({@link dev.ktstr.runtime.checks.CgroupStatistics}, {@link dev.ktstr.runtime.checks.ScenarioMetrics}),
 * and the human {@code --- stats ---} block ({@link dev.ktstr.runtime.checks.StatsBlock}).
 *
 * <p>Not here: the host-side monitor's checks (imbalance, DSQ depth, stalls, event rates) and the
 * comparator of metrics across runs; they read {@link dev.ktstr.runtime.checks.Thresholds} and the
 * metric names from here.
 */
package dev.ktstr.runtime.checks;

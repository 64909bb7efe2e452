package dev.ktstr.runtime.result;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything one run of one variant produced. Schema version {@value #SCHEMA_VERSION}; readers skip
 * files of another major version with a named error, and ignore unknown fields.
 *
 * @param schemaVersion    {@value #SCHEMA_VERSION}
 * @param runId            unique per run: {@code yyyyMMdd'T'HHmmss'Z'-<counter>}
 * @param testName         the {@code @KtstrTest} method name (or the catalog scenario name for {@code ktstr run})
 * @param variant          {@code ktstr/NAME} or {@code gauntlet/NAME/PRESET/PROFILE}
 * @param className        the declaring class ({@code null} for CLI runs)
 * @param preset           gauntlet preset, {@code null} for the base test
 * @param topology         rendered topology, e.g. {@code 1n2l2c1t}
 * @param scheduler        scheduler name ({@code eevdf} for the kernel default)
 * @param schedulerBinary  path of the scheduler binary inside the guest, {@code null} for EEVDF
 * @param flags            active flags (kebab-case), declaration order
 * @param schedulerArgs    the merged scheduler command line arguments
 * @param schedulerActive  the scheduler was attached (sched_ext {@code enabled}, ops matched) for the whole run
 * @param workType         work-type override, {@code null} when none
 * @param kernel           guest kernel release (uname -r)
 * @param engine           VM engine id ({@code kvm}, {@code qemu-kvm}, {@code qemu-tcg}) or {@code host}
 * @param projectCommit    git commit of the project under test ({@code unknown} outside git), with {@code -dirty}
 * @param repetition       0-based repetition index ({@code -Dktstr.repeat})
 * @param outcome          pass/fail/skip with named reasons
 * @param cgroups          per-cgroup statistics of the scenario
 * @param metrics          scenario-level metrics keyed by registry name (e.g. {@code worst_spread})
 * @param timeline         the stimulus timeline: what happened when
 * @param monitor          host-side monitor summary, {@code null} when the monitor did not run
 * @param host             the host the run happened on
 * @param startedAt        wall-clock start
 * @param durationMs       wall-clock duration of the whole run (boot to teardown)
 */
public record RunResult(
        int schemaVersion,
        String runId,
        String testName,
        String variant,
        String className,
        String preset,
        String topology,
        String scheduler,
        String schedulerBinary,
        List<String> flags,
        List<String> schedulerArgs,
        boolean schedulerActive,
        String workType,
        String kernel,
        String engine,
        String projectCommit,
        int repetition,
        Outcome outcome,
        List<CgroupStats> cgroups,
        Map<String, Double> metrics,
        List<StimulusEvent> timeline,
        MonitorSummary monitor,
        HostContext host,
        Instant startedAt,
        long durationMs) {

    public static final int SCHEMA_VERSION = 1;
}

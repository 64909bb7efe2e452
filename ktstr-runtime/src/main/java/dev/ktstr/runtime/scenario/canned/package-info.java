/**
 * The canned scenarios of ktstr facts §7.1, built from the DSL: the curated
 * {@link dev.ktstr.runtime.scenario.canned.Scenarios} (the 14 {@code scenarios::} functions), one class
 * per submodule with its {@code custom_*} scenarios ({@link dev.ktstr.runtime.scenario.canned.Basic},
 * {@link dev.ktstr.runtime.scenario.canned.Cpuset}, {@link dev.ktstr.runtime.scenario.canned.Dynamic},
 * {@link dev.ktstr.runtime.scenario.canned.Stress}, {@link dev.ktstr.runtime.scenario.canned.Interaction},
 * {@link dev.ktstr.runtime.scenario.canned.Affinity}, {@link dev.ktstr.runtime.scenario.canned.Nested},
 * {@link dev.ktstr.runtime.scenario.canned.Performance}), the data-driven steady-state builder
 * ({@link dev.ktstr.runtime.scenario.canned.Steady} over a
 * {@link dev.ktstr.runtime.scenario.canned.CpusetPartition}) and the
 * {@link dev.ktstr.runtime.scenario.canned.Catalog} that {@code ktstr run} iterates.
 *
 * <p>Java names are the camelCase of ktstr's without the {@code custom_} prefix
 * ({@code custom_cgroup_add_midrun} is {@code Dynamic.cgroupAddMidrun()}); scenario names (what
 * results and {@code ktstr run --scenario} use) keep ktstr's snake_case. Every method returns a new
 * immutable {@link dev.ktstr.runtime.scenario.Scenario}; nothing here talks to a guest.
 */
package dev.ktstr.runtime.scenario.canned;

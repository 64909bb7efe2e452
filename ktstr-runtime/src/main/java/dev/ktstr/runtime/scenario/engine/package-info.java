/**
 * Executes a {@link dev.ktstr.runtime.scenario.Scenario} against a
 * {@link dev.ktstr.runtime.agent.GuestAgent} ({@link dev.ktstr.runtime.scenario.engine.ScenarioEngine}):
 * per step it checks scheduler liveness, applies ops, sets up cgroups and workers, holds, records the
 * stimulus timeline, then stops the step's workers and collects their reports; Backdrop state lives
 * until the end; everything is cleaned up even on failure. The result
 * ({@link dev.ktstr.runtime.scenario.engine.ScenarioRun}) carries the named failures, per-cgroup
 * statistics, metrics, the timeline and the step boundaries the monitor summarises per phase.
 *
 * <p>{@link dev.ktstr.runtime.scenario.engine.ScenarioCtx} is the {@link dev.ktstr.runtime.Ctx} a
 * runner hands to test bodies. Not here: the DSL ({@code scenario}), the checks ({@code checks}),
 * booting a VM or transporting requests ({@code agent}, the runner).
 */
package dev.ktstr.runtime.scenario.engine;

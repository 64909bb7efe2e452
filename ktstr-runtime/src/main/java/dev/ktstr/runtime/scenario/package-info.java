/**
 * The scenario DSL (ktstr facts §7): small immutable values that describe what a scheduler test does
 * to the guest — cgroups ({@link dev.ktstr.runtime.scenario.CgroupDef}), their cpusets
 * ({@link dev.ktstr.runtime.scenario.CpusetSpec}), worker groups ({@link dev.ktstr.runtime.scenario.Work}
 * of a {@link dev.ktstr.runtime.scenario.WorkType}), dynamic operations
 * ({@link dev.ktstr.runtime.scenario.Op}) grouped into {@link dev.ktstr.runtime.scenario.Step}s with a
 * {@link dev.ktstr.runtime.scenario.HoldSpec}, state that persists across steps
 * ({@link dev.ktstr.runtime.scenario.Backdrop}), and the whole
 * {@link dev.ktstr.runtime.scenario.Scenario}.
 *
 * <p>Everything topology-relative is resolved on the host against the exact topology the VM was
 * given, with the formulas of facts §7. {@link dev.ktstr.runtime.scenario.ScenarioValidator} walks a
 * scenario against a topology without a guest, so bad input is an error before any VM boots.
 *
 * <p>Not here: executing a scenario against a guest agent ({@code scenario.engine}), the canned
 * scenarios and the catalog ({@code scenario.canned}), checks and statistics ({@code checks}).
 */
package dev.ktstr.runtime.scenario;

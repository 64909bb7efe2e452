/**
 * JUnit Platform integration of the generated tests: which variants run and whether this host can
 * run them.
 *
 * <ul>
 *   <li>{@link dev.ktstr.runtime.junit.KtstrSelectionFilter}, a {@code PostDiscoveryFilter} registered
 *       by ServiceLoader, keeps the variants {@code -Dktstr.budget.secs} and {@code -Dktstr.shard}
 *       select ({@link dev.ktstr.runtime.junit.BudgetSelector}, {@link dev.ktstr.runtime.junit.ShardPlanner}),
 *       deciding from the processor-written manifests ({@link dev.ktstr.runtime.junit.VariantManifests})
 *       so every fork and every CI shard agrees;
 *   <li>{@link dev.ktstr.runtime.junit.KtstrEnvironmentCondition} skips, with the reason, what the host
 *       cannot run, asking the {@link dev.ktstr.runtime.junit.VmEnvironment} SPI.
 * </ul>
 *
 * Running a variant (booting, checking, recording) is not here: that is
 * {@link dev.ktstr.runtime.KtstrRunner}'s job.
 */
package dev.ktstr.runtime.junit;

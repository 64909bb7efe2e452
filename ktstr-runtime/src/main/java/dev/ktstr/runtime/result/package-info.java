/**
 * Result files: one schema-versioned JSON document per run of a variant
 * ({@link dev.ktstr.runtime.result.RunResult}), written under
 * {@code target/ktstr/<kernel>-<commit>/} and read back by the comparator.
 */
package dev.ktstr.runtime.result;

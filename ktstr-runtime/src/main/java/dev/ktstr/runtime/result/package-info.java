/**
 * Result files: one schema-versioned JSON document per run of a variant and repetition
 * ({@link dev.ktstr.runtime.result.RunResult}), written under {@code target/ktstr/<kernel>-<commit>/}
 * (or {@code KTSTR_RESULTS_DIR}) and read back by {@link dev.ktstr.runtime.result.ResultFiles}, which
 * names every unreadable file ({@link dev.ktstr.runtime.result.BadResultFile}) instead of failing.
 * Computing the records' values from worker reports lives elsewhere; comparing them lives in
 * {@code dev.ktstr.runtime.stats}.
 */
package dev.ktstr.runtime.result;

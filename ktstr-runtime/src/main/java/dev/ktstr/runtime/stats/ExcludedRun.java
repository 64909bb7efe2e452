package dev.ktstr.runtime.stats;

/**
 * A run that is reported but not used as a sample, because it did not pass.
 *
 * @param side     {@code A} or {@code B}
 * @param key      its pairing key
 * @param runId    its run id and repetition, e.g. {@code 20260101T000000Z-3 r2}
 * @param status   {@code FAILED}, {@code SKIPPED} or {@code ERROR}
 * @param reason   the first named reason, e.g. {@code Starved: cg_0 worker 2 did no work}
 */
public record ExcludedRun(String side, PairKey key, String runId, String status, String reason) {}

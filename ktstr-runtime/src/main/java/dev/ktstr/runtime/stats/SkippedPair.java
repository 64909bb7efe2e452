package dev.ktstr.runtime.stats;

/**
 * A key present on both sides that could not be compared because a side has no passed run.
 *
 * @param key     the pairing key
 * @param reason  e.g. {@code B: 3 runs, none passed (FAILED Starved: ...)}
 */
public record SkippedPair(PairKey key, String reason) {}

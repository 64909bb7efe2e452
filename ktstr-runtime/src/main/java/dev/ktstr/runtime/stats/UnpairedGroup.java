package dev.ktstr.runtime.stats;

/**
 * A key present on one side only.
 *
 * @param key   the pairing key
 * @param side  {@code A} or {@code B}
 * @param runs  how many runs that side has for it
 */
public record UnpairedGroup(PairKey key, String side, int runs) {}

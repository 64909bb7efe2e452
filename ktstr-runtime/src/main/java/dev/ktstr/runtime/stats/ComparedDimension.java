package dev.ktstr.runtime.stats;

/**
 * A dimension left out of the pairing key because it is what the comparison is about: constant on
 * each side, different between them (e.g. kernel 7.3.4 vs 7.4.0).
 *
 * @param dimension  the dimension
 * @param a          its value on side A
 * @param b          its value on side B
 */
public record ComparedDimension(Dimension dimension, String a, String b) {}

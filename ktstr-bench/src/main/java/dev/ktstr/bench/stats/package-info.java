/**
 * Measured claims of the comparator: its speed on 10,000 cells × 10 runs per side beside the
 * alternatives a user would pick, and its calibration (A/A false regressions, power) over noise
 * levels and run counts. Plain {@code main} classes printing small tables; no assertions.
 */
package dev.ktstr.bench.stats;

/**
 * Statistical regression detection: the metric registry ({@link dev.ktstr.runtime.stats.Metrics}),
 * the pairing of baseline and candidate runs, the dual gate with significance and false-discovery
 * control ({@link dev.ktstr.runtime.stats.ResultComparator}), its policy, its text rendering, and the
 * {@link dev.ktstr.runtime.stats.Baselines} API for asserting "no regression" from a test. Reading and
 * writing result files lives in {@code dev.ktstr.runtime.result}; the command line in
 * {@code dev.ktstr.runtime.cli.stats}; computing metrics from worker reports lives elsewhere.
 */
package dev.ktstr.runtime.stats;

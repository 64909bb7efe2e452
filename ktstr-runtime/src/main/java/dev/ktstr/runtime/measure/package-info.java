/**
 * What a worker measured about itself ({@link dev.ktstr.runtime.measure.WorkerReport}) and the
 * fixed-size latency histogram it travels in ({@link dev.ktstr.runtime.measure.LatencyHistogram}).
 * Plain data: checks and statistics live elsewhere.
 */
package dev.ktstr.runtime.measure;

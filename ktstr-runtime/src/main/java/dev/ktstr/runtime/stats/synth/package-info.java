/**
 * Synthetic result sets drawn from an explicit noise model: the calibration data of the comparator
 * (A/A false-regression rate, power of injected shifts) and the input of its benchmark. Nothing here
 * reads or writes real runs.
 */
package dev.ktstr.runtime.stats.synth;

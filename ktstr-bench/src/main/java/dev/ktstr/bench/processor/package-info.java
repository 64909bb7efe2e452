/**
 * The annotation processor's cost on a large synthetic suite: javac with and without the processor,
 * and the processor's own work inside javac.
 */
package dev.ktstr.bench.processor;

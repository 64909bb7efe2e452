/**
 * {@code ktstr demo}: the whole product on this machine in a few minutes — a real kernel in a VM of
 * an exact topology, the kernel's scheduler and a sched_ext scheduler under the same scenarios,
 * checks, result files, and the comparator's verdict between them.
 */
package dev.ktstr.runtime.cli.demo;

/**
 * Measured claims about the host-side monitor: how much host CPU sampling a guest costs, side by side
 * with the ways of doing it a reader of the code would consider instead ({@code MonitorOverheadBench},
 * on a synthetic image), and what it costs a real guest's workers and the host, monitor on against
 * off in one guest ({@code MonitorGuestBench}). Plain {@code main} classes that print a small table;
 * nothing here is a test.
 */
package dev.ktstr.bench.monitor;

/**
 * Benchmarks of the guest agent's worker module: the measurement overhead on a worker's loop and the
 * cost of moving worker reports, each side by side with its alternative in one run. The measuring
 * itself happens in a native benchmark ({@code ktstr-agent/src/test/c/bench_work.c}); the classes here
 * build and run it and add the Java-side decoding figure. No VM is needed.
 */
package dev.ktstr.bench.agent;

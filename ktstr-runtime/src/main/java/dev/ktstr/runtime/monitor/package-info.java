/**
 * The host-side monitor (ktstr facts §8 and §10): a thread that samples every CPU's runqueue, the
 * sched_ext local DSQ depths and event counters, and the vCPU threads' host CPU time straight out of
 * guest memory every 100 ms ({@link dev.ktstr.runtime.monitor.Monitor}, {@link
 * dev.ktstr.runtime.monitor.Sampler}), and the checks that turn those samples into a verdict and a
 * {@link dev.ktstr.runtime.result.MonitorSummary} with per-step figures ({@link
 * dev.ktstr.runtime.monitor.MonitorEvaluator}, thresholds in {@link
 * dev.ktstr.runtime.monitor.MonitorConfig}).
 *
 * <p>How guest memory is read (BTF, symbols, address translation) is {@code dev.ktstr.kvm.introspect}'s
 * job; booting the guest and driving the scenario are not this package's either. See
 * {@code docs/monitor.md}.
 */
package dev.ktstr.runtime.monitor;

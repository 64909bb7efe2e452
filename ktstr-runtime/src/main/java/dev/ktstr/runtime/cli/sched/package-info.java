/**
 * The {@code ktstr scheduler} ({@code build}, {@code list}) and {@code ktstr verifier} commands:
 * thin picocli front ends over {@code dev.ktstr.runtime.sched}. The root command attaches
 * {@link dev.ktstr.runtime.cli.sched.SchedulerCommand} and
 * {@link dev.ktstr.runtime.cli.sched.VerifierCommand}; the scheduler side of {@code ktstr run --vm}
 * lives in {@code dev.ktstr.runtime.sched}, not here.
 */
package dev.ktstr.runtime.cli.sched;

/**
 * The scheduler under test, at run time: reading a {@code @Scheduler} enum
 * ({@link dev.ktstr.runtime.sched.SchedulerDefinition}: flags, profiles, the merged command line),
 * finding its binary before any VM boots ({@link dev.ktstr.runtime.sched.SchedulerCatalog}), planning
 * a run ({@link dev.ktstr.runtime.sched.SchedulerLaunch}) and driving it in a guest from attach to
 * confirmed detach ({@link dev.ktstr.runtime.sched.SchedulerSession}), with every failure a named
 * {@link dev.ktstr.runtime.sched.SchedulerFailure} (attach failure with a cycle-collapsed verifier
 * log, exit, ejection by the kernel with its reason and debug dump). The schedulers ktstr builds
 * itself are {@link dev.ktstr.runtime.sched.BuildableScheduler}; the fixture's options for ktstr's
 * built-in flags are {@link dev.ktstr.runtime.sched.FixtureBuiltInFlag}, which
 * {@link dev.ktstr.runtime.sched.SchedulerSetup#binaryFlags} uses for {@code ktstr run --scheduler}.
 *
 * <p>Building the schedulers lives in {@code sched.build}, the verifier-statistics run in
 * {@code sched.verifier}, the commands in {@code cli.sched}. Booting guests is
 * {@code dev.ktstr.runtime.vm}'s job, the agent protocol {@code dev.ktstr.runtime.agent}'s.
 */
package dev.ktstr.runtime.sched;

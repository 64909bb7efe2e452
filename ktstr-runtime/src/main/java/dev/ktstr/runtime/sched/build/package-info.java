/**
 * Building sched_ext schedulers from the kernel's own sources: Debian's {@code linux-source-<series>}
 * fetched through a private apt session, only what {@code tools/sched_ext} needs extracted
 * ({@link dev.ktstr.runtime.sched.build.SourceSubset}), the kernel's Makefile plus ktstr's fixture
 * and tools ({@link dev.ktstr.runtime.sched.build.BundledSources}) built with clang 19 and linked
 * statically, installed atomically under a lock in the scheduler cache
 * ({@link dev.ktstr.runtime.sched.build.SchedulerCache}) keyed by source version and kernel BTF
 * ({@link dev.ktstr.runtime.sched.build.BtfKey}). Nothing here boots a VM.
 */
package dev.ktstr.runtime.sched.build;

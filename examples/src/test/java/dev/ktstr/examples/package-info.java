/**
 * Example scheduler tests. {@link dev.ktstr.examples.BuiltInFlag} declares a sched_ext scheduler with
 * ktstr's six built-in flags; the test classes expand against it and against the kernel's default
 * scheduler. {@code mvn verify} compiles them through the ktstr processor into
 * {@code *_KtstrIT} (VM variants, Failsafe) and {@code *_KtstrHostTest} (host-only, Surefire).
 *
 * <p>The guides in {@code docs/} quote these files; keep them compiling and keep the quotes in step.
 */
package dev.ktstr.examples;

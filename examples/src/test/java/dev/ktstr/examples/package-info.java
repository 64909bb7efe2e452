/**
 * Example scheduler tests: real use of ktstr. {@link dev.ktstr.examples.BuiltInFlag} declares ktstr's
 * six built-in flags on ktstr's own fixture scheduler, {@code sched} the kernel's example schedulers
 * and the fixture's failure modes; the test classes run canned and hand-written scenarios against
 * them and against the kernel's default scheduler. {@code mvn verify} compiles them through the
 * ktstr processor into {@code *_KtstrIT} (VM variants, Failsafe) and {@code *_KtstrHostTest}
 * (host-only, Surefire), a gauntlet of 390 variants ({@code -Dktstr.budget.secs} picks a part).
 *
 * <p>The guides in {@code docs/} quote these files; keep them compiling and keep the quotes in step.
 */
package dev.ktstr.examples;

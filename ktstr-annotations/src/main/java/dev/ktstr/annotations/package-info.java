/**
 * The annotations a scheduler test is written with: {@link dev.ktstr.annotations.Scheduler} on an
 * enum whose constants are {@link dev.ktstr.annotations.Flag flags}, and
 * {@link dev.ktstr.annotations.KtstrTest} on a test method. They carry data only; the annotation
 * processor validates and expands them at compile time, the runtime reads them reflectively.
 *
 * <p>Numeric attributes use {@link dev.ktstr.annotations.KtstrTest#INHERIT} (-1) for "not set here":
 * the value then comes from the scheduler, and failing that from the built-in default.
 */
package dev.ktstr.annotations;

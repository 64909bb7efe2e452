/**
 * The processor's immutable model and the pure functions over it: flag declarations and profiles
 * (the power set with requirements), schedulers, tests, their expansion into variants, the names the
 * generated code uses, and each variant's estimated cost and feature set.
 *
 * <p>Nothing here touches {@code javax.lang.model} or the {@code Filer}: the
 * {@link dev.ktstr.processor.validate} package turns annotated elements into these records, and the
 * {@link dev.ktstr.processor.generate} package renders them. That keeps every rule of the expansion
 * testable without a compiler.
 */
package dev.ktstr.processor.model;

/**
 * Running one generated test: {@link dev.ktstr.runtime.runner.TestDeclaration} reads what the
 * annotations say (topology, scheduler and flags, checks, execution attributes) for a
 * {@link dev.ktstr.runtime.Variant}; {@link dev.ktstr.runtime.runner.VariantExecution} boots the guest,
 * loads the scheduler, runs the body, checks, monitors and records one repetition; the verdict turns
 * the outcome into a JUnit pass, failure or skip. {@link dev.ktstr.runtime.KtstrRunner} is the entry
 * point the generated code calls.
 */
package dev.ktstr.runtime.runner;

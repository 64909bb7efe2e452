/**
 * Validation: turns annotated elements into {@link dev.ktstr.processor.model} records, or into
 * diagnostics placed on the exact annotation value that is wrong. Every message comes from the
 * {@link dev.ktstr.processor.validate.Message} catalogue and starts with a stable bracketed id such as
 * {@code [KtstrFlagCycle]}, so tests and users can grep for it.
 *
 * <p>Nothing here writes files or prints: diagnostics are values collected in
 * {@link dev.ktstr.processor.validate.Diagnostics}, which the processor prints.
 */
package dev.ktstr.processor.validate;

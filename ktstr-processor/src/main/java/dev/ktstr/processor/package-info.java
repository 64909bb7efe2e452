/**
 * The ktstr annotation processor's entry point, {@link dev.ktstr.processor.KtstrProcessor}: a thin
 * driver over the pipeline {@code validate} (elements to model, or diagnostics) → {@code model}
 * (expansion of each test into variants) → {@code generate} (JUnit 5 classes and the variant
 * manifest). It holds no rule of its own.
 */
package dev.ktstr.processor;

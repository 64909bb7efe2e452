/**
 * Rendering: turns a {@link dev.ktstr.processor.model.ClassPlan} into the generated JUnit 5 classes
 * ({@link dev.ktstr.processor.generate.TestClassRenderer}) and the variant manifest
 * ({@link dev.ktstr.processor.generate.ManifestRenderer}), and writes both through the {@code Filer}
 * stamped the same way ({@link dev.ktstr.processor.generate.GeneratedFiles}). Renderers are pure
 * functions of the model: no timestamps, no hash-ordered collections, the same bytes on every build.
 */
package dev.ktstr.processor.generate;

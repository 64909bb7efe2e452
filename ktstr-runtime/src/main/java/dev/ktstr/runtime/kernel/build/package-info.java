/**
 * Building kernels from source trees: ktstr's required config fragment and the check that it
 * survived {@code make olddefconfig}, the identity of a tree (git commit or path; dirty trees are
 * never cached), and the builder that configures, builds and caches. It runs {@code make}; it does not
 * download sources.
 */
package dev.ktstr.runtime.kernel.build;

/**
 * The on-disk kernel cache ({@link dev.ktstr.runtime.kernel.cache.KernelCache}): entry layout, cache
 * keys, per-key locks shared by threads and processes, atomic installation and validation of entries.
 * It stores and checks; it does not know where kernels come from (that is {@code debian},
 * {@code build} and the resolver).
 */
package dev.ktstr.runtime.kernel.cache;

/**
 * Kernel image formats: the x86 bzImage setup header ({@link dev.ktstr.runtime.kernel.image.BzImage}),
 * payload decompression, extraction of the vmlinux ELF with its BTF and PVH facts, and kernel
 * {@code .config} parsing. Pure functions over bytes and files; no cache, network or processes here.
 */
package dev.ktstr.runtime.kernel.image;

/**
 * Kernels for tests: finding one ({@link dev.ktstr.runtime.kernel.KernelResolver}: {@code KTSTR_KERNEL},
 * then the newest valid cache entry, then the host's {@code /boot} kernel), provisioning the default
 * one on a fresh machine ({@link dev.ktstr.runtime.kernel.KernelProvisioner}), and the result the VM
 * engines boot ({@link dev.ktstr.runtime.kernel.ResolvedKernel}). Sub-packages: {@code image} (bzImage
 * and vmlinux formats), {@code cache} (the on-disk cache, its keys, locks and validation),
 * {@code debian} (fetching Debian kernel packages through apt), {@code build} (building from a source
 * tree), {@code process} (running host tools). The CLI lives in {@code dev.ktstr.runtime.cli.kernel}.
 */
package dev.ktstr.runtime.kernel;

/**
 * Benchmarks of initramfs preparation: what a VM waits for before it boots, with the shared-memory
 * base cache against building the base for every VM, and copying the base into guest RAM against
 * mapping it copy-on-write. Plain {@code main} classes that print a table; no timing assertions.
 */
package dev.ktstr.bench.initramfs;

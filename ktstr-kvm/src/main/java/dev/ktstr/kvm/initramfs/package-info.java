/**
 * The initramfs the guest boots from: a cached base archive plus a small per-run suffix, both cpio
 * newc archives compressed as LZ4 legacy streams, as the kernel's {@code CONFIG_RD_LZ4} unpacker
 * reads them.
 *
 * <p>Pieces, bottom up: {@link dev.ktstr.kvm.initramfs.CpioWriter} (newc format) and
 * {@link dev.ktstr.kvm.initramfs.Lz4LegacyOutputStream} (LZ4 legacy frames);
 * {@link dev.ktstr.kvm.initramfs.SharedLibraryResolver} with
 * {@link dev.ktstr.kvm.initramfs.LdSoCache} (the dynamic linker's search, so every included ELF file
 * brings its interpreter and DT_NEEDED closure); {@link dev.ktstr.kvm.initramfs.BasePlanner} (turns a
 * {@link dev.ktstr.kvm.initramfs.BaseSpec} into a content-keyed
 * {@link dev.ktstr.kvm.initramfs.BasePlan}); {@link dev.ktstr.kvm.initramfs.BaseCache} (segments in
 * {@code /dev/shm}, built once across threads and processes, cleaned up after SIGKILL);
 * {@link dev.ktstr.kvm.initramfs.CowMapping} (maps a segment copy-on-write into guest RAM, for the own
 * VMM); {@link dev.ktstr.kvm.initramfs.Suffix}; and {@link dev.ktstr.kvm.initramfs.Initramfs}, which
 * the runtime calls per VM and which yields the engine's {@code InitramfsPart}s.
 *
 * <p>Not here: loading the parts into a guest (the engines in {@code vmm} and {@code qemu}), the
 * guest agent that reads {@link dev.ktstr.kvm.initramfs.InitramfsLayout#MARKER} and the suffix's
 * files, and the ELF parser itself ({@code dev.ktstr.kvm.elf}).
 */
package dev.ktstr.kvm.initramfs;

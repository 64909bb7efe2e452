package dev.ktstr.kvm.engine;

import java.nio.file.Path;

/**
 * The kernel to boot.
 *
 * @param path    the file
 * @param format  {@link Format#BZIMAGE} (x86 boot protocol, self-decompressing) or
 *                {@link Format#ELF_PVH} (an uncompressed vmlinux entered through its PVH note, which
 *                skips decompression and boots faster)
 */
public record KernelImage(Path path, Format format) {

    public enum Format {
        BZIMAGE,
        ELF_PVH
    }
}

package dev.ktstr.runtime.kernel.image;

import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.KernelException.Kind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns a bzImage into its uncompressed vmlinux ELF: parse the setup header, decompress the payload,
 * check that the result is an x86-64 ELF, record BTF and PVH facts, and write the ELF out. The whole
 * image is handled in memory (a cloud kernel: 14 MB in, 62 MB out, a quarter of a second).
 */
public final class VmlinuxExtractor {

    private VmlinuxExtractor() {}

    /**
     * What extraction found.
     *
     * @param header        the bzImage header
     * @param facts         BTF and PVH facts of the vmlinux
     * @param vmlinuxSize   bytes written
     * @param vmlinuxSha256 digest of the bytes written
     */
    public record Extracted(BzImage header, VmlinuxFacts facts, long vmlinuxSize, String vmlinuxSha256) {}

    /**
     * Extracts {@code image} into {@code vmlinuxOut} (created or replaced).
     *
     * @throws KernelException {@link Kind#BAD_IMAGE} or {@link Kind#UNSUPPORTED_COMPRESSION} for a bad
     *     image, {@link Kind#CACHE_IO} when the files cannot be read or written
     */
    public static Extracted extract(Path image, Path vmlinuxOut) throws KernelException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(image);
        } catch (IOException e) {
            throw new KernelException(Kind.CACHE_IO, "cannot read kernel image " + image + ": " + e, e);
        }
        String name = image.toString();
        BzImage header = BzImage.parse(name, bytes);
        byte[] elf = PayloadDecompressor.decompress(name, bytes, header);
        VmlinuxFacts facts = VmlinuxFacts.inspect(name + " (payload)", ByteBuffer.wrap(elf));
        try {
            Files.write(vmlinuxOut, elf);
        } catch (IOException e) {
            throw new KernelException(Kind.CACHE_IO, "cannot write " + vmlinuxOut + ": " + e, e);
        }
        return new Extracted(header, facts, elf.length, Sha256.of(elf));
    }

    /** Parses the header of an image file without decompressing it. */
    public static BzImage readHeader(Path image) throws KernelException {
        try {
            return BzImage.parse(image.toString(), Files.readAllBytes(image));
        } catch (IOException e) {
            throw new KernelException(Kind.BAD_IMAGE, "cannot read kernel image " + image + ": " + e, e);
        }
    }
}

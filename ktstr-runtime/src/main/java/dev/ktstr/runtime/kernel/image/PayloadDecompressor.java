package dev.ktstr.runtime.kernel.image;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.KernelException.Kind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Decompresses a bzImage payload into the uncompressed kernel (the vmlinux ELF). zstd goes through
 * zstd-jni: kernel payloads are compressed with {@code zstd -22 --ultra}, whose 128 MiB window is
 * beyond pure-Java decoders such as aircompressor (8 MiB limit); gzip goes through the JDK. Every
 * other compression is refused by name.
 */
public final class PayloadDecompressor {

    /** No kernel image is larger than this uncompressed; a larger declared size means corruption. */
    static final long MAX_UNCOMPRESSED = 1L << 30;

    private PayloadDecompressor() {}

    /**
     * Returns the uncompressed payload of {@code header} within {@code image}.
     *
     * @throws KernelException {@link Kind#UNSUPPORTED_COMPRESSION} for xz, lzma, lz4, bzip2, lzo;
     *     {@link Kind#BAD_IMAGE} when the stream is corrupt or its size disagrees with the trailer
     */
    public static byte[] decompress(String name, byte[] image, BzImage header) throws KernelException {
        Compression c = header.compression();
        if (c == Compression.UNKNOWN) {
            throw new KernelException(Kind.BAD_IMAGE, name + ": payload at offset " + header.payloadOffset()
                    + " has no known compression magic");
        }
        if (!c.supported()) {
            throw new KernelException(Kind.UNSUPPORTED_COMPRESSION, name + ": unsupported compression " + c.label()
                    + " (supported: gzip, zstd; rebuild with CONFIG_KERNEL_ZSTD=y or CONFIG_KERNEL_GZIP=y)");
        }
        long size = header.declaredUncompressedSize(image);
        if (size == 0 || size > MAX_UNCOMPRESSED) {
            throw new KernelException(Kind.BAD_IMAGE, name + ": implausible uncompressed size " + size
                    + " in the payload trailer");
        }
        byte[] out = new byte[(int) size];
        long got = c == Compression.ZSTD ? zstd(name, image, header, out) : gzip(name, image, header, out);
        if (got != size) {
            throw new KernelException(Kind.BAD_IMAGE, name + ": " + c.label() + " payload decompressed to " + got
                    + " bytes, the trailer says " + size);
        }
        return out;
    }

    private static long zstd(String name, byte[] image, BzImage h, byte[] out) throws KernelException {
        try {
            // The zstd frame is followed by the 4-byte size_append trailer, which is not part of it.
            return Zstd.decompressByteArray(out, 0, out.length, image, h.payloadOffset(), h.payloadLength() - 4);
        } catch (ZstdException e) {
            throw new KernelException(Kind.BAD_IMAGE, name + ": corrupt zstd payload: " + e.getMessage(), e);
        }
    }

    private static long gzip(String name, byte[] image, BzImage h, byte[] out) throws KernelException {
        try (InputStream in = new GZIPInputStream(
                new ByteArrayInputStream(image, h.payloadOffset(), h.payloadLength()), 1 << 16)) {
            int n = in.readNBytes(out, 0, out.length);
            if (n == out.length && in.read() >= 0) {
                return (long) n + 1;
            }
            return n;
        } catch (IOException e) {
            throw new KernelException(Kind.BAD_IMAGE, name + ": corrupt gzip payload: " + e.getMessage(), e);
        }
    }
}

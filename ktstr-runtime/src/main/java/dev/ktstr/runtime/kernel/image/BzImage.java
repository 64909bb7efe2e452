package dev.ktstr.runtime.kernel.image;

import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.KernelException.Kind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The real-mode setup header of an x86 bzImage and the location of its compressed payload, as
 * specified by the Linux x86 boot protocol ({@code Documentation/arch/x86/boot.rst}, "The real-mode
 * kernel header"). Only protocol 2.08 and later are accepted: they carry {@code payload_offset} and
 * {@code payload_length}, without which the payload can only be found by scanning.
 *
 * @param protocolVersion boot protocol version, e.g. {@code 0x020f}
 * @param setupSectors    512-byte setup sectors after the boot sector ({@code setup_sects}, 0 read as 4)
 * @param payloadOffset   file offset of the compressed payload
 * @param payloadLength   length of the payload, including the 4-byte size trailer
 * @param kernelVersion   the {@code kernel_version} string ("7.3.4+deb13-cloud-amd64 (…) #1 SMP …"), or ""
 * @param compression     the payload's compression, recognised by magic
 */
public record BzImage(int protocolVersion, int setupSectors, int payloadOffset, int payloadLength,
        String kernelVersion, Compression compression) {

    static final int OFF_SETUP_SECTS = 0x1f1;
    static final int OFF_BOOT_FLAG = 0x1fe;
    static final int OFF_HEADER = 0x202;
    static final int OFF_VERSION = 0x206;
    static final int OFF_KERNEL_VERSION = 0x20e;
    static final int OFF_PAYLOAD_OFFSET = 0x248;
    static final int OFF_PAYLOAD_LENGTH = 0x24c;
    static final int BOOT_FLAG = 0xaa55;
    /** "HdrS" read little-endian. */
    static final int HEADER_MAGIC = 0x53726448;
    static final int MIN_PROTOCOL = 0x0208;
    /** The header must reach at least past {@code payload_length}. */
    static final int MIN_HEADER_BYTES = OFF_PAYLOAD_LENGTH + 4;

    /**
     * Parses the header of {@code image} (the whole file) and locates its payload.
     *
     * @param name the file name, for messages
     * @throws KernelException {@link Kind#BAD_IMAGE} when the header is missing, too old or points outside
     *     the file
     */
    public static BzImage parse(String name, byte[] image) throws KernelException {
        if (image.length < MIN_HEADER_BYTES) {
            throw bad(name, "too short for an x86 boot header (" + image.length + " bytes, need " + MIN_HEADER_BYTES
                    + ")");
        }
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        if (Short.toUnsignedInt(b.getShort(OFF_BOOT_FLAG)) != BOOT_FLAG) {
            throw bad(name, String.format("bad boot flag 0x%04x at 0x1fe (want 0xaa55): not a bzImage",
                    Short.toUnsignedInt(b.getShort(OFF_BOOT_FLAG))));
        }
        if (b.getInt(OFF_HEADER) != HEADER_MAGIC) {
            throw bad(name, "no \"HdrS\" magic at 0x202: not a bzImage (or a pre-2.0 zImage)");
        }
        int version = Short.toUnsignedInt(b.getShort(OFF_VERSION));
        if (version < MIN_PROTOCOL) {
            throw bad(name, String.format("boot protocol %d.%02d is older than 2.08 (no payload_offset)",
                    version >> 8, version & 0xff));
        }
        int setupSects = Byte.toUnsignedInt(image[OFF_SETUP_SECTS]);
        if (setupSects == 0) {
            setupSects = 4;
        }
        long protectedModeStart = (setupSects + 1L) * 512;
        long payloadOffset = protectedModeStart + Integer.toUnsignedLong(b.getInt(OFF_PAYLOAD_OFFSET));
        long payloadLength = Integer.toUnsignedLong(b.getInt(OFF_PAYLOAD_LENGTH));
        if (payloadLength < 8 || payloadOffset + payloadLength > image.length) {
            throw bad(name, "payload [" + payloadOffset + ", +" + payloadLength + ") lies outside the file ("
                    + image.length + " bytes): truncated image?");
        }
        String kernelVersion = kernelVersion(image, b);
        Compression compression = Compression.detect(image, (int) payloadOffset, (int) payloadLength);
        return new BzImage(version, setupSects, (int) payloadOffset, (int) payloadLength, kernelVersion,
                compression);
    }

    /** Whether {@code head} starts like a bzImage (boot flag and "HdrS"); a cheap check, no parse. */
    public static boolean looksLikeBzImage(byte[] head) {
        if (head.length < OFF_HEADER + 4) {
            return false;
        }
        ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        return Short.toUnsignedInt(b.getShort(OFF_BOOT_FLAG)) == BOOT_FLAG && b.getInt(OFF_HEADER) == HEADER_MAGIC;
    }

    /** The kernel release: the first word of {@link #kernelVersion()} ({@code uname -r}), or "". */
    public String release() {
        int sp = kernelVersion.indexOf(' ');
        return sp < 0 ? kernelVersion : kernelVersion.substring(0, sp);
    }

    /**
     * The decompressed size the build appended after the compressed stream (the kernel's
     * {@code size_append} for zstd, the gzip trailer's ISIZE for gzip): the last 4 bytes, little-endian.
     */
    public long declaredUncompressedSize(byte[] image) {
        return Integer.toUnsignedLong(ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN)
                .getInt(payloadOffset + payloadLength - 4));
    }

    private static String kernelVersion(byte[] image, ByteBuffer b) {
        int ptr = Short.toUnsignedInt(b.getShort(OFF_KERNEL_VERSION));
        if (ptr == 0) {
            return "";
        }
        int start = ptr + 0x200;
        int end = start;
        while (end < image.length && end - start < 256 && image[end] != 0) {
            end++;
        }
        if (end >= image.length) {
            return "";
        }
        return new String(image, start, end - start, StandardCharsets.US_ASCII).strip();
    }

    private static KernelException bad(String name, String what) {
        return new KernelException(Kind.BAD_IMAGE, name + ": " + what);
    }
}

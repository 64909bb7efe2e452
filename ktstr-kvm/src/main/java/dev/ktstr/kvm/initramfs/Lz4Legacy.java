package dev.ktstr.kvm.initramfs;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;

/**
 * Constants and compressor choice of the LZ4 <em>legacy</em> frame format, the only LZ4 format the
 * kernel's initramfs decompressor ({@code lib/decompress_unlz4.c}, {@code CONFIG_RD_LZ4}) reads.
 *
 * <p>Format (lz4 {@code doc/lz4_Frame_format.md}, "Legacy frame"): the 4-byte little-endian magic
 * {@code 0x184C2102}, then blocks, each a 4-byte little-endian compressed length followed by an LZ4
 * block that decompresses to at most 8 MiB; every block but the last holds exactly 8 MiB. There is
 * no end mark and no checksum. A second magic where a block length is expected starts a new stream:
 * the kernel and {@code lz4 -d} both keep decoding, so two streams may simply be concatenated.
 */
public final class Lz4Legacy {

    /** The legacy frame magic number. */
    public static final int MAGIC = 0x184C2102;

    /** Uncompressed bytes per block: the kernel decodes each block into an 8 MiB buffer. */
    public static final int MAX_BLOCK = 8 << 20;

    /** How hard to compress. */
    public enum Level {
        /** LZ4's fast compressor (what {@code lz4 -l} uses by default). */
        FAST,
        /** LZ4 HC at level 9: slower to build, a little smaller and faster to unpack. */
        HIGH;

        LZ4Compressor compressor() {
            // The pure-Java implementation: the JNI one unpacks a .so into java.io.tmpdir that is only
            // removed at a clean JVM exit, so every JVM killed with SIGKILL would leave a file behind.
            LZ4Factory factory = LZ4Factory.fastestJavaInstance();
            return this == FAST ? factory.fastCompressor() : factory.highCompressor(9);
        }
    }

    private Lz4Legacy() {}
}

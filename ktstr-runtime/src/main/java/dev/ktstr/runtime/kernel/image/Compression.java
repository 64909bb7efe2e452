package dev.ktstr.runtime.kernel.image;

/**
 * The compression of a bzImage payload, recognised by its leading magic bytes (the formats
 * {@code arch/x86/boot/compressed/Makefile} can produce). Only {@link #GZIP} and {@link #ZSTD} are
 * decompressed here: Debian and most distributions ship zstd, defconfig builds gzip.
 */
public enum Compression {
    GZIP("gzip", true, new int[] {0x1f, 0x8b}),
    ZSTD("zstd", true, new int[] {0x28, 0xb5, 0x2f, 0xfd}),
    XZ("xz", false, new int[] {0xfd, '7', 'z', 'X', 'Z', 0x00}),
    LZMA("lzma", false, new int[] {0x5d, 0x00, 0x00}),
    LZ4("lz4", false, new int[] {0x02, 0x21, 0x4c, 0x18}),
    BZIP2("bzip2", false, new int[] {'B', 'Z', 'h'}),
    LZO("lzo", false, new int[] {0x89, 'L', 'Z', 'O'}),
    /** No known magic: the payload is not a compressed kernel. */
    UNKNOWN("unknown", false, new int[0]);

    private final String label;
    private final boolean supported;
    private final int[] magic;

    Compression(String label, boolean supported, int[] magic) {
        this.label = label;
        this.supported = supported;
        this.magic = magic;
    }

    /** The name the kernel's Kconfig uses ({@code CONFIG_KERNEL_<NAME>} in lower case). */
    public String label() {
        return label;
    }

    /** Whether {@link PayloadDecompressor} can decompress it. */
    public boolean supported() {
        return supported;
    }

    /** Recognises the payload starting at {@code offset} of {@code data}. */
    public static Compression detect(byte[] data, int offset, int length) {
        for (Compression c : values()) {
            if (c.magic.length > 0 && c.magic.length <= length && matches(c.magic, data, offset)) {
                return c;
            }
        }
        return UNKNOWN;
    }

    private static boolean matches(int[] magic, byte[] data, int offset) {
        for (int i = 0; i < magic.length; i++) {
            if ((data[offset + i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}

package dev.ktstr.kvm.initramfs;

import dev.ktstr.kvm.engine.InitramfsPart;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The small per-run archive the kernel unpacks after the base: run arguments and similar files (e.g.
 * {@code /ktstr/args}). A cpio newc archive padded to 512 bytes, compressed as its own LZ4 legacy
 * stream, which the kernel decodes right after the base's stream. Its members replace base members
 * of the same path (the kernel unlinks before it creates). Immutable.
 */
public final class Suffix {

    /** Suffix inode numbers start here, apart from the base's. */
    public static final long FIRST_INODE = 0x4000_0000L;
    /** The suffix archive is padded to this many bytes before compression. */
    public static final int PAD = 512;

    private final List<CpioEntry> entries;
    private final byte[] cpio;
    private final byte[] compressed;

    private Suffix(List<CpioEntry> entries) {
        this.entries = List.copyOf(entries);
        try {
            ByteArrayOutputStream raw = new ByteArrayOutputStream(1024);
            ArchiveWriter.writeCpio(this.entries, raw, FIRST_INODE, PAD);
            this.cpio = raw.toByteArray();
            ByteArrayOutputStream lz = new ByteArrayOutputStream(cpio.length / 2 + 64);
            // One block of exactly the archive's size: no 8 MiB buffer for a few hundred bytes.
            int block = Math.min(Lz4Legacy.MAX_BLOCK, cpio.length);
            try (Lz4LegacyOutputStream out = new Lz4LegacyOutputStream(lz, Lz4Legacy.Level.FAST, block, null, 1)) {
                out.write(cpio);
            }
            this.compressed = lz.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("writing an in-memory suffix archive failed", e);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The members in write order (parents first). */
    public List<CpioEntry> entries() {
        return entries;
    }

    /** The uncompressed archive (a multiple of 512 bytes). */
    public byte[] cpio() {
        return cpio.clone();
    }

    /** Bytes of the uncompressed archive. */
    public int cpioSize() {
        return cpio.length;
    }

    /** The LZ4 legacy stream, a fresh read-only buffer. */
    public ByteBuffer compressed() {
        return ByteBuffer.wrap(compressed).asReadOnlyBuffer();
    }

    /** The compressed suffix as the engine's initramfs part. */
    public InitramfsPart.BytesPart part() {
        return new InitramfsPart.BytesPart(compressed());
    }

    /** Collects suffix files; directories above them are added. */
    public static final class Builder {
        private final Map<String, byte[]> files = new TreeMap<>();
        private final Map<String, Integer> modes = new TreeMap<>();

        private Builder() {}

        /** A file with mode 0644. */
        public Builder file(String archivePath, byte[] content) {
            return file(archivePath, content, 0644);
        }

        /** A UTF-8 text file with mode 0644. */
        public Builder file(String archivePath, String content) {
            return file(archivePath, content.getBytes(StandardCharsets.UTF_8), 0644);
        }

        public Builder file(String archivePath, byte[] content, int permissions) {
            ArchivePaths.check(archivePath);
            files.put(archivePath, content.clone());
            modes.put(archivePath, permissions);
            return this;
        }

        public Suffix build() {
            ArchiveTree tree = new ArchiveTree();
            try {
                for (Map.Entry<String, byte[]> f : files.entrySet()) {
                    tree.add(new CpioEntry.RegularFile(f.getKey(), modes.get(f.getKey()), FileContent.Bytes.of(f.getValue())),
                            "suffix file " + f.getKey());
                }
            } catch (InitramfsException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            return new Suffix(tree.sorted());
        }
    }
}

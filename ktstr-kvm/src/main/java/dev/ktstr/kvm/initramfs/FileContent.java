package dev.ktstr.kvm.initramfs;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where the bytes of a regular archive member come from, with the SHA-256 that the base key is
 * computed from: a host file (streamed when the archive is written, checked against its planned
 * identity and digest) or bytes in memory.
 */
public sealed interface FileContent {

    /** Exact byte count (the cpio header carries it before the data). */
    long size();

    /** Lower-case hex SHA-256 of the bytes. */
    String sha256();

    /**
     * A host file as it was when planned.
     *
     * @param path     the file (symlinks already resolved)
     * @param identity its stat identity when hashed; the writer refuses the file if it changed since
     * @param sha256   digest of its bytes
     */
    record HostFile(Path path, FileIdentity identity, String sha256) implements FileContent {
        @Override
        public long size() {
            return identity.size();
        }
    }

    /** Bytes held in memory (small generated files: the marker, the suffix's arguments). */
    record Bytes(byte[] data, String sha256) implements FileContent {

        public Bytes {
            data = data.clone();
        }

        public static Bytes of(byte[] data) {
            return new Bytes(data, ContentHasher.sha256Hex(data));
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        /** The bytes without a copy, for the writer. */
        byte[] raw() {
            return data;
        }

        @Override
        public long size() {
            return data.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes b && Arrays.equals(data, b.data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Bytes[" + data.length + " bytes, sha256=" + sha256 + "]";
        }
    }
}

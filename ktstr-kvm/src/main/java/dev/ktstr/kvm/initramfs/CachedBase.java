package dev.ktstr.kvm.initramfs;

import dev.ktstr.kvm.engine.InitramfsPart;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A compressed base archive held in the shared-memory cache: the segment file, its size, and a
 * shared {@code flock} that keeps other processes from removing it while this process may still boot
 * VMs from it. Valid until its {@link BaseCache} is closed.
 */
public final class CachedBase {

    private final String key;
    private final Path segment;
    private final long size;
    private final long uncompressedSize;
    private final boolean builtHere;
    private final int fd;

    CachedBase(String key, Path segment, long size, long uncompressedSize, boolean builtHere, int fd) {
        this.key = key;
        this.segment = segment;
        this.size = size;
        this.uncompressedSize = uncompressedSize;
        this.builtHere = builtHere;
        this.fd = fd;
    }

    /** The content key (32 hex digits, see {@link BasePlan}). */
    public String key() {
        return key;
    }

    /** The segment file, {@code <dir>/<prefix><key>}, holding exactly the LZ4 stream. */
    public Path segment() {
        return segment;
    }

    /** Bytes of the compressed base (the segment's size). */
    public long size() {
        return size;
    }

    /** Bytes of the cpio archive once decompressed (for sizing guest memory). */
    public long uncompressedSize() {
        return uncompressedSize;
    }

    /** Whether this process built the segment (false: reused one another thread or process built). */
    public boolean builtHere() {
        return builtHere;
    }

    /** The base as the engine's initramfs part: QEMU reads the file; the own VMM maps it. */
    public InitramfsPart.FilePart part() {
        return new InitramfsPart.FilePart(segment, size);
    }

    /**
     * Maps the whole segment copy-on-write at {@code hostAddress} (page-aligned, inside guest RAM the
     * caller owns); see {@link CowMapping} for the rules. Uses the descriptor this handle holds, so it
     * cannot map a different file that replaced the path.
     */
    public void mapPrivateFixed(long hostAddress) throws IOException {
        CowMapping.mapPrivateFixed(fd, segment.toString(), hostAddress, size);
    }

    int fd() {
        return fd;
    }

    @Override
    public String toString() {
        return "CachedBase[" + segment + ", " + size + " bytes" + (builtHere ? ", built here" : ", reused") + "]";
    }
}

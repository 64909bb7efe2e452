package dev.ktstr.kvm.initramfs;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * Writes planned archives: a {@link BasePlan} as an LZ4 legacy stream of its cpio archive, or any
 * list of members as a plain cpio archive. Host files are streamed from disk, so memory use is the
 * LZ4 block buffers, not the archive.
 */
public final class ArchiveWriter {

    /** First inode number of the base archive. */
    public static final long BASE_FIRST_INODE = 1;

    private ArchiveWriter() {}

    /**
     * Writes {@code plan} compressed to {@code out} (left open).
     *
     * @param executor compresses 8 MiB blocks concurrently, or {@code null} for the calling thread
     * @return bytes written
     */
    public static long writeBase(BasePlan plan, OutputStream out, ExecutorService executor) throws IOException {
        int inFlight = executor == null ? 1 : Math.max(2, Runtime.getRuntime().availableProcessors());
        Lz4LegacyOutputStream lz4 = new Lz4LegacyOutputStream(out, plan.level(), Lz4Legacy.MAX_BLOCK, executor,
                inFlight);
        writeCpio(plan.entries(), lz4, BASE_FIRST_INODE, 4);
        lz4.finish();
        if (lz4.bytesIn() != plan.uncompressedSize()) {
            throw new IOException("base " + plan.key() + ": wrote " + lz4.bytesIn() + " cpio bytes, planned "
                    + plan.uncompressedSize());
        }
        return lz4.bytesOut();
    }

    /** Writes {@code entries} in order as a cpio newc archive padded to {@code padTo}; returns its size. */
    public static long writeCpio(List<CpioEntry> entries, OutputStream out, long firstInode, int padTo)
            throws IOException {
        CpioWriter w = new CpioWriter(out, firstInode);
        for (CpioEntry e : entries) {
            w.write(e);
        }
        w.finish(padTo);
        return w.bytesWritten();
    }
}

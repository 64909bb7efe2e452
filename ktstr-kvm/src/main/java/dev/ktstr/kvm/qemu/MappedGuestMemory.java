package dev.ktstr.kvm.qemu;

import dev.ktstr.kvm.engine.GuestMemory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Guest RAM as QEMU's backend files, mapped shared into the host and addressed by guest-physical
 * address through a {@link PcMemoryLayout}. Mappings are made in chunks of at most 1 GiB (a
 * {@link ByteBuffer} holds at most 2 GiB).
 */
final class MappedGuestMemory implements GuestMemory {

    private static final long CHUNK = 1L << 30;

    private record Chunk(long gpa, long length, MappedByteBuffer buf) {}

    private final List<Chunk> chunks = new ArrayList<>();
    private final List<FileChannel> files = new ArrayList<>();
    private final long ramBytes;

    MappedGuestMemory(List<Path> backendFiles, PcMemoryLayout layout) throws IOException {
        long total = 0;
        try {
            for (Path f : backendFiles) {
                files.add(FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE));
            }
            for (PcMemoryLayout.Piece p : layout.pieces()) {
                total += p.length();
                FileChannel ch = files.get(p.backend());
                for (long off = 0; off < p.length(); off += CHUNK) {
                    long len = Math.min(CHUNK, p.length() - off);
                    MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_WRITE, p.fileOffset() + off, len);
                    m.order(ByteOrder.LITTLE_ENDIAN);
                    chunks.add(new Chunk(p.gpa() + off, len, m));
                }
            }
        } catch (IOException e) {
            release();
            throw e;
        }
        chunks.sort((a, b) -> Long.compare(a.gpa(), b.gpa()));
        ramBytes = total;
    }

    @Override
    public long ramBytes() {
        return ramBytes;
    }

    private Chunk chunkOf(long gpa) {
        int lo = 0;
        int hi = chunks.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Chunk c = chunks.get(mid);
            if (gpa < c.gpa()) {
                hi = mid - 1;
            } else if (gpa >= c.gpa() + c.length()) {
                lo = mid + 1;
            } else {
                return c;
            }
        }
        return null;
    }

    @Override
    public boolean contains(long gpa, long len) {
        long p = gpa;
        long end = gpa + len;
        while (p < end) {
            Chunk c = chunkOf(p);
            if (c == null) {
                return false;
            }
            p = c.gpa() + c.length();
        }
        return true;
    }

    @Override
    public void read(long gpa, byte[] dst, int off, int len) {
        copy(gpa, dst, off, len, false);
    }

    @Override
    public void write(long gpa, byte[] src, int off, int len) {
        copy(gpa, src, off, len, true);
    }

    private void copy(long gpa, byte[] arr, int off, int len, boolean write) {
        long p = gpa;
        int done = 0;
        while (done < len) {
            Chunk c = chunkOf(p);
            if (c == null) {
                throw new IndexOutOfBoundsException(String.format("guest-physical 0x%x is not RAM", p));
            }
            int at = (int) (p - c.gpa());
            int k = (int) Math.min(len - done, c.length() - at);
            if (write) {
                c.buf().put(at, arr, off + done, k);
            } else {
                c.buf().get(at, arr, off + done, k);
            }
            done += k;
            p += k;
        }
    }

    /**
     * Frees the guest's RAM now, once QEMU has exited: the backend files are already unlinked, so
     * truncating them returns their pages to the host at once instead of whenever the garbage
     * collector drops the mappings. A late access through a mapping then raises an error in that
     * thread instead of reading stale memory.
     */
    void release() {
        for (FileChannel ch : files) {
            try {
                ch.truncate(0);
                ch.close();
            } catch (IOException e) {
                // the file is unlinked; its pages go when the mappings do
            }
        }
        files.clear();
    }

    /** A little-endian view of {@code [gpa, gpa+len)}, which must lie inside one mapping chunk. */
    ByteBuffer slice(long gpa, long len) {
        Chunk c = chunkOf(gpa);
        if (c == null || gpa + len > c.gpa() + c.length()) {
            throw new IllegalArgumentException(String.format(
                    "[0x%x, +0x%x) does not lie inside one contiguous RAM mapping", gpa, len));
        }
        return c.buf().slice((int) (gpa - c.gpa()), (int) len).order(ByteOrder.LITTLE_ENDIAN);
    }
}

package dev.ktstr.kvm.initramfs;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import net.jpountz.lz4.LZ4Compressor;

/**
 * Compresses everything written to it into one LZ4 legacy stream ({@link Lz4Legacy}): the magic,
 * then one length-prefixed block per {@code blockSize} bytes of input.
 *
 * <p>With an executor, full blocks are compressed concurrently (at most {@code maxInFlight} at a
 * time, each with its own buffer) and written in order; without one, a single input and output
 * buffer are reused. {@link #finish()} ends the stream but leaves the underlying stream open, so a
 * second stream can follow it; {@link #close()} finishes and closes the underlying stream.
 */
public final class Lz4LegacyOutputStream extends OutputStream {

    private final OutputStream out;
    private final LZ4Compressor compressor;
    private final int blockSize;
    private final ExecutorService executor;
    private final int maxInFlight;
    private final ArrayDeque<Future<byte[]>> inFlight = new ArrayDeque<>();
    private byte[] block;
    private int fill;
    private byte[] framed;
    private boolean magicWritten;
    private boolean finished;
    private long bytesIn;
    private long bytesOut;

    /** A sequential stream with 8 MiB blocks. */
    public Lz4LegacyOutputStream(OutputStream out, Lz4Legacy.Level level) {
        this(out, level, Lz4Legacy.MAX_BLOCK, null, 1);
    }

    /**
     * @param out         where the stream goes
     * @param level       compressor
     * @param blockSize   uncompressed bytes per block, at most {@link Lz4Legacy#MAX_BLOCK}
     * @param executor    compresses full blocks concurrently, or {@code null} for this thread
     * @param maxInFlight blocks compressing at once when an executor is given (memory: two buffers each)
     */
    public Lz4LegacyOutputStream(OutputStream out, Lz4Legacy.Level level, int blockSize, ExecutorService executor,
            int maxInFlight) {
        if (blockSize < 1 || blockSize > Lz4Legacy.MAX_BLOCK) {
            throw new IllegalArgumentException("block size must be in [1, 8 MiB], got " + blockSize);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be >= 1, got " + maxInFlight);
        }
        this.out = out;
        this.compressor = level.compressor();
        this.blockSize = blockSize;
        this.executor = executor;
        this.maxInFlight = maxInFlight;
        this.block = new byte[blockSize];
    }

    /** Uncompressed bytes accepted so far. */
    public long bytesIn() {
        return bytesIn;
    }

    /** Bytes of the stream written so far (magic, length prefixes and blocks). */
    public long bytesOut() {
        return bytesOut;
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        block[fill++] = (byte) b;
        bytesIn++;
        if (fill == blockSize) {
            emitBlock();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            int n = Math.min(len, blockSize - fill);
            System.arraycopy(b, off, block, fill, n);
            fill += n;
            off += n;
            len -= n;
            bytesIn += n;
            if (fill == blockSize) {
                emitBlock();
            }
        }
    }

    /** Compresses and writes what is buffered, waits for concurrent blocks; the underlying stream stays open. */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        writeMagicOnce();
        if (fill > 0) {
            emitBlock();
        }
        while (!inFlight.isEmpty()) {
            writeFramed(await(inFlight.removeFirst()));
        }
        finished = true;
        out.flush();
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            finish();
        } finally {
            inFlight.forEach(f -> f.cancel(true));
            out.close();
        }
    }

    private void emitBlock() throws IOException {
        writeMagicOnce();
        byte[] full = block;
        int len = fill;
        fill = 0;
        if (executor == null) {
            if (framed == null) {
                framed = new byte[4 + compressor.maxCompressedLength(blockSize)];
            }
            int n = frame(full, len, framed);
            out.write(framed, 0, n);
            bytesOut += n;
            return;
        }
        while (inFlight.size() >= maxInFlight) {
            writeFramed(await(inFlight.removeFirst()));
        }
        inFlight.addLast(executor.submit(() -> {
            byte[] dst = new byte[4 + compressor.maxCompressedLength(len)];
            int n = frame(full, len, dst);
            return java.util.Arrays.copyOf(dst, n);
        }));
        block = new byte[blockSize];
    }

    /** Compresses {@code len} bytes of {@code src} into {@code dst} after a 4-byte length; returns bytes used. */
    private int frame(byte[] src, int len, byte[] dst) {
        int n = compressor.compress(src, 0, len, dst, 4, dst.length - 4);
        putLe32(dst, 0, n);
        return 4 + n;
    }

    private void writeFramed(byte[] f) throws IOException {
        out.write(f);
        bytesOut += f.length;
    }

    private static byte[] await(Future<byte[]> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing an LZ4 block");
        } catch (ExecutionException e) {
            throw new IOException("LZ4 block compression failed: " + e.getCause(), e.getCause());
        }
    }

    private void writeMagicOnce() throws IOException {
        if (!magicWritten) {
            byte[] m = new byte[4];
            putLe32(m, 0, Lz4Legacy.MAGIC);
            out.write(m);
            bytesOut += 4;
            magicWritten = true;
        }
    }

    private void ensureOpen() {
        if (finished) {
            throw new IllegalStateException("LZ4 stream already finished");
        }
    }

    static void putLe32(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }
}

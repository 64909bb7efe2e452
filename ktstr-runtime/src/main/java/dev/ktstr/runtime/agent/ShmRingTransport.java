package dev.ktstr.runtime.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The VM transport of {@code ktstr_wire.h}: two byte rings in a guest-RAM region shared with the host,
 * with one-byte doorbells on COM2. The agent initialises the region; the host reads its layout on
 * the first doorbell. Ring 0 carries host→guest bytes, ring 1 guest→host. Nobody polls: the reader
 * blocks on the doorbell line, a writer facing a full ring waits for a CONSUMED doorbell.
 */
public final class ShmRingTransport implements AgentTransport {

    private static final VarHandle LONG =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT =
            MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final ByteBuffer region;
    private final InputStream bells;
    private final OutputStream bellOut;
    private final Object writeLock = new Object();
    private final String what;
    private volatile boolean closed;

    // Ring layout, read once the agent published it.
    private volatile boolean ready;
    private long[] ringOff;
    private long[] ringSize;
    private long rxPos; // ring 1 read position (only the reader thread touches it)
    private long txPos; // ring 0 write position (under writeLock)

    /**
     * @param region   the shared region (direct buffer, position 0 = region start)
     * @param bellsIn  bytes the guest writes to its COM2
     * @param bellsOut the guest's COM2 receive side
     * @param what     e.g. "VM agent channel (16 MiB at 0x8000000)"
     */
    public ShmRingTransport(ByteBuffer region, InputStream bellsIn, OutputStream bellsOut, String what) {
        this.region = region.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.bells = bellsIn;
        this.bellOut = bellsOut;
        this.what = what;
    }

    @Override
    public String describe() {
        return what;
    }

    private boolean checkReady() throws IOException {
        if (ready) {
            return true;
        }
        int magic = (int) INT.getAcquire(region, Wire.SHM_OFF_MAGIC);
        if (magic != Wire.SHM_MAGIC) {
            return false;
        }
        int version = (int) INT.getAcquire(region, Wire.SHM_OFF_VERSION);
        if (version != Wire.VERSION) {
            throw new IOException("agent region has wire version " + version + ", host speaks " + Wire.VERSION);
        }
        long[] off = new long[2];
        long[] size = new long[2];
        for (int i = 0; i < 2; i++) {
            off[i] = (long) LONG.getAcquire(region, Wire.SHM_OFF_RING_OFF + 8 * i);
            size[i] = (long) LONG.getAcquire(region, Wire.SHM_OFF_RING_SIZE + 8 * i);
            if (size[i] <= 0 || Long.bitCount(size[i]) != 1 || off[i] < Wire.SHM_HEADER
                    || off[i] + size[i] > region.capacity()) {
                throw new IOException("agent region ring " + i + " has a bad layout: offset " + off[i] + ", size "
                        + size[i] + ", region " + region.capacity());
            }
        }
        ringOff = off;
        ringSize = size;
        rxPos = (long) LONG.getAcquire(region, ringField(1, Wire.RING_OFF_READ_POS));
        txPos = (long) LONG.getAcquire(region, ringField(0, Wire.RING_OFF_WRITE_POS));
        ready = true;
        return true;
    }

    private static int ringField(int ring, int field) {
        return Wire.SHM_OFF_RING + ring * Wire.SHM_RING_STRIDE + field;
    }

    private void bell(byte b) throws IOException {
        synchronized (bellOut) {
            bellOut.write(b);
            bellOut.flush();
        }
    }

    @Override
    public int read(byte[] buf) throws IOException {
        while (true) {
            if (checkReady()) {
                int n = drain(buf);
                if (n > 0) {
                    return n;
                }
            }
            int b = bells.read();
            if (b < 0 || closed) {
                return -1;
            }
            if (b == Wire.BELL_CONSUMED) {
                synchronized (writeLock) {
                    writeLock.notifyAll();
                }
            }
        }
    }

    private int drain(byte[] buf) throws IOException {
        long size = ringSize[1];
        long w = (long) LONG.getAcquire(region, ringField(1, Wire.RING_OFF_WRITE_POS));
        long avail = w - rxPos;
        if (avail < 0 || avail > size) {
            throw new IOException("guest->host ring corrupt: write " + w + ", read " + rxPos + ", size " + size);
        }
        if (avail == 0) {
            return 0;
        }
        int n = (int) Math.min(avail, buf.length);
        int done = 0;
        while (done < n) {
            int off = (int) ((rxPos + done) % size);
            int k = (int) Math.min(n - done, size - off);
            region.get((int) ringOff[1] + off, buf, done, k);
            done += k;
        }
        rxPos += n;
        LONG.setRelease(region, ringField(1, Wire.RING_OFF_READ_POS), rxPos);
        VarHandle.fullFence();
        if ((int) INT.getAcquire(region, ringField(1, Wire.RING_OFF_WRITER_WAITING)) != 0) {
            INT.setRelease(region, ringField(1, Wire.RING_OFF_WRITER_WAITING), 0);
            bell(Wire.BELL_CONSUMED);
        }
        return n;
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        synchronized (writeLock) {
            if (!checkReady()) {
                throw new IOException("the agent has not initialised its region yet");
            }
            long size = ringSize[0];
            int done = 0;
            while (done < bytes.length) {
                if (closed) {
                    throw new IOException("transport closed");
                }
                long rd = (long) LONG.getAcquire(region, ringField(0, Wire.RING_OFF_READ_POS));
                long space = size - (txPos - rd);
                if (space == 0) {
                    INT.setRelease(region, ringField(0, Wire.RING_OFF_WRITER_WAITING), 1);
                    VarHandle.fullFence();
                    rd = (long) LONG.getAcquire(region, ringField(0, Wire.RING_OFF_READ_POS));
                    if (size - (txPos - rd) == 0) {
                        bell(Wire.BELL_MSG);
                        try {
                            // Woken by the reader thread on a CONSUMED bell; the timeout only guards
                            // against a lost wakeup and is not a poll of an idle channel.
                            writeLock.wait(1000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IOException("interrupted while the agent's ring was full", e);
                        }
                    }
                    continue;
                }
                int off = (int) (txPos % size);
                int k = (int) Math.min(Math.min(space, bytes.length - done), size - off);
                region.put((int) ringOff[0] + off, bytes, done, k);
                done += k;
                txPos += k;
                LONG.setRelease(region, ringField(0, Wire.RING_OFF_WRITE_POS), txPos);
            }
            bell(Wire.BELL_MSG);
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (writeLock) {
            writeLock.notifyAll();
        }
    }
}

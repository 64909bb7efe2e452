package dev.ktstr.runtime.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The ring protocol against a Java model of the agent's side (chan.c): tiny rings, so every transfer
 * wraps and both writers block for space many times.
 */
class ShmRingTransportTest {

    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int RING = 4096;

    /** The guest side, as chan.c does it: echoes every byte of ring 0 back through ring 1. */
    private static final class EchoGuest implements Runnable {
        final ByteBuffer region;
        final InputStream bellsIn;   // host -> guest bells
        final OutputStream bellsOut; // guest -> host bells
        long rx;
        long tx;
        final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        EchoGuest(ByteBuffer region, InputStream in, OutputStream out) {
            this.region = region;
            this.bellsIn = in;
            this.bellsOut = out;
            region.putLong(8, 3L * RING + Wire.SHM_HEADER);
            region.putLong(16, Wire.SHM_HEADER);
            region.putLong(24, Wire.SHM_HEADER + RING);
            region.putLong(32, RING);
            region.putLong(40, RING);
            INT.setRelease(region, 4, Wire.VERSION);
            INT.setRelease(region, 0, Wire.SHM_MAGIC);
        }

        static int ring(int i, int field) {
            return Wire.SHM_OFF_RING + i * Wire.SHM_RING_STRIDE + field;
        }

        void bell(byte b) throws IOException {
            bellsOut.write(b);
            bellsOut.flush();
        }

        void drainRx() throws IOException {
            long w = (long) LONG.getAcquire(region, ring(0, Wire.RING_OFF_WRITE_POS));
            while (rx < w) {
                pending.write(region.get(Wire.SHM_HEADER + (int) (rx % RING)));
                rx++;
            }
            LONG.setRelease(region, ring(0, Wire.RING_OFF_READ_POS), rx);
            VarHandle.fullFence();
            if ((int) INT.getAcquire(region, ring(0, Wire.RING_OFF_WRITER_WAITING)) != 0) {
                INT.setRelease(region, ring(0, Wire.RING_OFF_WRITER_WAITING), 0);
                bell(Wire.BELL_CONSUMED);
            }
        }

        void write(byte[] b) throws IOException {
            int done = 0;
            while (done < b.length) {
                long rd = (long) LONG.getAcquire(region, ring(1, Wire.RING_OFF_READ_POS));
                if (RING - (tx - rd) == 0) {
                    INT.setRelease(region, ring(1, Wire.RING_OFF_WRITER_WAITING), 1);
                    VarHandle.fullFence();
                    rd = (long) LONG.getAcquire(region, ring(1, Wire.RING_OFF_READ_POS));
                    if (RING - (tx - rd) == 0) {
                        bell(Wire.BELL_MSG);
                        int c = bellsIn.read();
                        if (c < 0) {
                            throw new IOException("host gone");
                        }
                        drainRx(); // keep the host's ring moving while we wait
                    }
                    continue;
                }
                region.put(Wire.SHM_HEADER + RING + (int) (tx % RING), b[done++]);
                tx++;
                LONG.setRelease(region, ring(1, Wire.RING_OFF_WRITE_POS), tx);
            }
            bell(Wire.BELL_MSG);
        }

        @Override
        public void run() {
            try {
                while (true) {
                    if (bellsIn.read() < 0) {
                        return;
                    }
                    drainRx();
                    while (pending.size() > 0) {
                        byte[] b = pending.toByteArray();
                        pending.reset();
                        write(b);
                    }
                }
            } catch (IOException e) {
                // the host side closed the pipes: the test is over
            }
        }
    }

    @Test
    void megabytesEchoThroughFourKilobyteRingsBothWays() throws Exception {
        ByteBuffer region = ByteBuffer.allocateDirect(3 * RING + Wire.SHM_HEADER).order(ByteOrder.LITTLE_ENDIAN);
        PipedOutputStream hostToGuest = new PipedOutputStream();
        PipedInputStream guestIn = new PipedInputStream(hostToGuest, 1 << 16);
        PipedOutputStream guestToHost = new PipedOutputStream();
        PipedInputStream hostIn = new PipedInputStream(guestToHost, 1 << 16);
        EchoGuest guest = new EchoGuest(region, guestIn, guestToHost);
        Thread g = new Thread(guest, "echo-guest");
        g.setDaemon(true);
        g.start();
        ShmRingTransport t = new ShmRingTransport(region, hostIn, hostToGuest, "test");
        byte[] data = new byte[3 << 20];
        new Random(1).nextBytes(data);
        CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
            byte[] out = new byte[data.length];
            byte[] buf = new byte[10000];
            int got = 0;
            try {
                while (got < out.length) {
                    int n = t.read(buf);
                    if (n < 0) {
                        throw new IOException("EOF after " + got);
                    }
                    System.arraycopy(buf, 0, out, got, n);
                    got += n;
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
            return out;
        });
        // Not ready until the guest has published magic; the guest above did so in its constructor.
        for (int off = 0; off < data.length; off += 250_000) {
            t.write(java.util.Arrays.copyOfRange(data, off, Math.min(data.length, off + 250_000)));
        }
        assertArrayEquals(data, received.get(60, TimeUnit.SECONDS));
        t.close();
        hostToGuest.close();
    }

    @Test
    void refusesToWriteBeforeTheAgentPublishedTheRegion() {
        ByteBuffer region = ByteBuffer.allocateDirect(3 * RING + Wire.SHM_HEADER);
        ShmRingTransport t = new ShmRingTransport(region, InputStream.nullInputStream(), OutputStream.nullOutputStream(),
                "test");
        IOException e = assertThrows(IOException.class, () -> t.write(new byte[] {1}));
        assertEquals("the agent has not initialised its region yet", e.getMessage());
    }

    @Test
    void rejectsACorruptLayout() throws Exception {
        ByteBuffer region = ByteBuffer.allocateDirect(3 * RING + Wire.SHM_HEADER).order(ByteOrder.LITTLE_ENDIAN);
        region.putLong(16, Wire.SHM_HEADER);
        region.putLong(24, Wire.SHM_HEADER + RING);
        region.putLong(32, 3000); // not a power of two
        region.putLong(40, RING);
        region.putInt(4, Wire.VERSION);
        region.putInt(0, Wire.SHM_MAGIC);
        ShmRingTransport t = new ShmRingTransport(region, InputStream.nullInputStream(), OutputStream.nullOutputStream(),
                "test");
        IOException e = assertThrows(IOException.class, () -> t.write(new byte[] {1}));
        assertEquals("agent region ring 0 has a bad layout: offset 4096, size 3000, region 16384", e.getMessage());
    }
}

package dev.ktstr.runtime.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AgentConnectionTest {

    /** A transport whose "agent" is the test: frames written by the host land in {@code sent}. */
    private static final class FakeTransport implements AgentTransport {
        final LinkedBlockingQueue<byte[]> toHost = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<byte[]> sent = new LinkedBlockingQueue<>();
        volatile boolean closed;

        @Override
        public void write(byte[] bytes) throws IOException {
            if (closed) {
                throw new IOException("closed");
            }
            sent.add(bytes);
        }

        @Override
        public int read(byte[] buf) throws IOException {
            try {
                byte[] b = toHost.take();
                if (b.length == 0) {
                    return -1;
                }
                System.arraycopy(b, 0, buf, 0, b.length);
                return b.length;
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        }

        @Override
        public String describe() {
            return "fake";
        }

        @Override
        public void close() {
            closed = true;
            toHost.add(new byte[0]);
        }
    }

    private static int idOf(byte[] frame) {
        return Wire.parseHeader(java.util.Arrays.copyOf(frame, Wire.HEADER_SIZE)).id();
    }

    @Test
    void repliesMatchRequestsAndErrorsCarryErrno() throws Exception {
        FakeTransport t = new FakeTransport();
        try (AgentConnection c = new AgentConnection(t, () -> "ctx")) {
            Thread agent = new Thread(() -> {
                try {
                    byte[] q1 = t.sent.take();
                    t.toHost.add(Wire.encode(Wire.REPLY, idOf(q1), 0, new WireWriter().u64(99).toByteArray()));
                    byte[] q2 = t.sent.take();
                    t.toHost.add(Wire.encode(Wire.REPLY, idOf(q2), Wire.FLAG_ERROR,
                            new WireWriter().i32(2).str("no such thing").toByteArray()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            agent.start();
            assertEquals(99, new WireReader(c.request(Wire.PING, new byte[0], Duration.ofSeconds(5)).payload()).u64());
            AgentException e = assertThrows(AgentException.class,
                    () -> c.request(Wire.READ_FILE, new byte[0], Duration.ofSeconds(5)));
            assertEquals(AgentException.Kind.REMOTE_ERROR, e.kind());
            assertEquals(2, e.errno());
            assertTrue(e.getMessage().contains("READ_FILE: no such thing (errno 2)"), e.getMessage());
        }
    }

    @Test
    void aDeadAgentFailsPendingAndLaterRequestsAtOnce() throws Exception {
        FakeTransport t = new FakeTransport();
        AgentConnection c = new AgentConnection(t, () -> "console: Kernel panic");
        Thread killer = new Thread(() -> {
            try {
                t.sent.poll(5, TimeUnit.SECONDS);
                t.toHost.add(new byte[0]); // EOF while the request is pending
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        killer.start();
        long t0 = System.nanoTime();
        AgentException e = assertThrows(AgentException.class,
                () -> c.request(Wire.EXEC, new byte[0], Duration.ofMinutes(5)));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "failed fast, not after the timeout");
        assertEquals(AgentException.Kind.AGENT_DIED, e.kind());
        assertTrue(e.getMessage().contains("channel closed") && e.getMessage().contains("Kernel panic"), e.getMessage());
        AgentException again = assertThrows(AgentException.class,
                () -> c.request(Wire.PING, new byte[0], Duration.ofMinutes(5)));
        assertEquals(AgentException.Kind.AGENT_DIED, again.kind());
        c.close();
    }

    @Test
    void silenceIsATimeoutAndAGarbledFrameKillsTheConnection() throws Exception {
        FakeTransport t = new FakeTransport();
        try (AgentConnection c = new AgentConnection(t, () -> "")) {
            AgentException e = assertThrows(AgentException.class,
                    () -> c.request(Wire.PING, new byte[0], Duration.ofMillis(200)));
            assertEquals(AgentException.Kind.TIMEOUT, e.kind());
            t.toHost.add(new byte[Wire.HEADER_SIZE]); // zero magic
            AgentException dead = assertThrows(AgentException.class,
                    () -> c.request(Wire.PING, new byte[0], Duration.ofSeconds(5)));
            assertEquals(AgentException.Kind.AGENT_DIED, dead.kind());
            assertTrue(dead.getMessage().contains("bad frame magic"), dead.getMessage());
        }
    }
}

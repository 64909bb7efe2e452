package dev.ktstr.runtime.agent;

import dev.ktstr.runtime.agent.Wire.Frame;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Frames over an {@link AgentTransport}: one reader thread parses incoming frames and completes the
 * matching request, or hands events to listeners. When the agent side goes away (EOF, a broken
 * frame, or {@link #markDead}), every pending and future request fails at once with
 * {@link AgentException.Kind#AGENT_DIED} and the reason, so nobody waits for a dead agent.
 */
public final class AgentConnection implements AutoCloseable {

    private final AgentTransport transport;
    private final Supplier<String> deathContext;
    private final Map<Integer, CompletableFuture<Frame>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final CompletableFuture<Frame> hello = new CompletableFuture<>();
    private final List<Consumer<Frame>> listeners = new CopyOnWriteArrayList<>();
    private final Object writeLock = new Object();
    private final Thread reader;
    private volatile AgentException death;

    /**
     * @param transport     the byte pipe
     * @param deathContext  evidence to attach when the agent dies, e.g. how the VM ended and the console tail
     */
    public AgentConnection(AgentTransport transport, Supplier<String> deathContext) {
        this.transport = transport;
        this.deathContext = deathContext;
        this.reader = new Thread(this::readLoop, "ktstr-agent-reader");
        reader.setDaemon(true);
        reader.start();
    }

    public String describe() {
        return transport.describe();
    }

    private void readLoop() {
        byte[] chunk = new byte[1 << 16];
        byte[] acc = new byte[1 << 16];
        int len = 0;
        try {
            while (death == null) {
                int n = transport.read(chunk);
                if (n < 0) {
                    die("the agent channel closed");
                    return;
                }
                if (len + n > acc.length) {
                    acc = Arrays.copyOf(acc, Math.max(acc.length * 2, len + n));
                }
                System.arraycopy(chunk, 0, acc, len, n);
                len += n;
                int used = 0;
                while (len - used >= Wire.HEADER_SIZE) {
                    Wire.Header h = Wire.parseHeader(Arrays.copyOfRange(acc, used, used + Wire.HEADER_SIZE));
                    if (len - used < Wire.HEADER_SIZE + h.length()) {
                        break;
                    }
                    byte[] payload = Arrays.copyOfRange(acc, used + Wire.HEADER_SIZE, used + Wire.HEADER_SIZE + h.length());
                    if ((int) Wire.crc32(payload) != h.crc()) {
                        throw new WireFormatException("CRC mismatch on a " + Wire.typeName(h.type()) + " frame");
                    }
                    used += Wire.HEADER_SIZE + h.length();
                    dispatch(new Frame(h.type(), h.id(), h.flags(), payload));
                }
                if (used > 0) {
                    System.arraycopy(acc, used, acc, 0, len - used);
                    len -= used;
                }
            }
        } catch (IOException | WireFormatException e) {
            die("the agent channel failed: " + e.getMessage());
        } catch (RuntimeException e) {
            die("the agent reader crashed: " + e);
        }
    }

    private void dispatch(Frame f) {
        if (f.type() == Wire.REPLY) {
            CompletableFuture<Frame> p = pending.remove(f.id());
            if (p != null) {
                p.complete(f);
            }
            return;
        }
        if (f.type() == Wire.HELLO) {
            hello.complete(f);
        }
        for (Consumer<Frame> l : listeners) {
            l.accept(f);
        }
    }

    /** Declares the agent dead (e.g. its VM ended); idempotent, first reason wins. */
    public void markDead(String reason) {
        die(reason);
    }

    private synchronized void die(String reason) {
        if (death != null) {
            return;
        }
        String ctx = deathContext.get();
        death = new AgentException(AgentException.Kind.AGENT_DIED,
                reason + (ctx == null || ctx.isBlank() ? "" : "\n" + ctx));
        hello.completeExceptionally(death);
        for (CompletableFuture<Frame> p : pending.values()) {
            p.completeExceptionally(death);
        }
        pending.clear();
        transport.close();
    }

    /** Why the agent is dead, or null while it lives. */
    public AgentException death() {
        return death;
    }

    public void addListener(Consumer<Frame> listener) {
        listeners.add(listener);
    }

    /** Waits for the agent's HELLO. */
    public Frame awaitHello(Duration timeout) throws AgentException {
        return await(hello, timeout, "HELLO", 0);
    }

    /**
     * Sends a request and waits for its reply.
     *
     * @throws AgentException REMOTE_ERROR with the agent's errno and message when it reports an
     *     error, TIMEOUT, or AGENT_DIED
     */
    public Frame request(int type, byte[] payload, Duration timeout) throws AgentException {
        AgentException dead = death;
        if (dead != null) {
            throw new AgentException(dead.kind(), 0, dead.getMessage(), dead);
        }
        int id = nextId.getAndUpdate(i -> i == Integer.MAX_VALUE ? 1 : i + 1);
        CompletableFuture<Frame> f = new CompletableFuture<>();
        pending.put(id, f);
        try {
            synchronized (writeLock) {
                transport.write(Wire.encode(type, id, 0, payload));
            }
        } catch (IOException e) {
            pending.remove(id);
            die("writing " + Wire.typeName(type) + " failed: " + e.getMessage());
            throw new AgentException(AgentException.Kind.AGENT_DIED, 0, death.getMessage(), e);
        }
        Frame reply = await(f, timeout, Wire.typeName(type), id);
        if (reply.isError()) {
            WireReader r = new WireReader(reply.payload());
            int errno = r.i32();
            String msg = r.str();
            throw new AgentException(AgentException.Kind.REMOTE_ERROR, errno,
                    Wire.typeName(type) + ": " + msg + " (errno " + errno + ")", null);
        }
        return reply;
    }

    /** Sends a message that has no reply (POWEROFF). */
    public void send(int type, byte[] payload) throws AgentException {
        try {
            synchronized (writeLock) {
                transport.write(Wire.encode(type, nextId.getAndIncrement(), 0, payload));
            }
        } catch (IOException e) {
            throw new AgentException(AgentException.Kind.AGENT_DIED, 0, "writing " + Wire.typeName(type)
                    + " failed: " + e.getMessage(), e);
        }
    }

    private Frame await(CompletableFuture<Frame> f, Duration timeout, String what, int id) throws AgentException {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.remove(id);
            throw new AgentException(AgentException.Kind.TIMEOUT, 0,
                    "no reply to " + what + " within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AgentException a) {
                throw new AgentException(a.kind(), a.errno(), a.getMessage(), a);
            }
            throw new AgentException(AgentException.Kind.PROTOCOL_ERROR, 0, String.valueOf(e.getCause()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.remove(id);
            throw new AgentException(AgentException.Kind.TIMEOUT, 0, "interrupted waiting for " + what, e);
        }
    }

    @Override
    public void close() {
        die("the host closed the connection");
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

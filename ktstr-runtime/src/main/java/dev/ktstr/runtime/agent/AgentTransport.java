package dev.ktstr.runtime.agent;

import java.io.IOException;

/**
 * A byte pipe to the agent and back. Frames are laid on top by {@link AgentConnection}. One thread
 * reads, any thread may write (writes are serialised by the caller).
 */
public interface AgentTransport extends AutoCloseable {

    /** Writes all bytes, blocking while the far side has no room. */
    void write(byte[] bytes) throws IOException;

    /** Reads at least one byte into {@code buf}, blocking; returns -1 when the agent side is gone. */
    int read(byte[] buf) throws IOException;

    /** One line saying what this transport is, for messages. */
    String describe();

    @Override
    void close();
}

package dev.ktstr.runtime.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** The bare-metal transport: the agent runs as a child process; frames travel over its stdin/stdout. */
public final class PipeTransport implements AgentTransport {

    private final InputStream in;
    private final OutputStream out;
    private final String what;

    public PipeTransport(InputStream fromAgent, OutputStream toAgent, String what) {
        this.in = fromAgent;
        this.out = toAgent;
        this.what = what;
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        synchronized (out) {
            out.write(bytes);
            out.flush();
        }
    }

    @Override
    public int read(byte[] buf) throws IOException {
        return in.read(buf);
    }

    @Override
    public String describe() {
        return what;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            // The agent is gone already; nothing left to flush.
        }
    }
}

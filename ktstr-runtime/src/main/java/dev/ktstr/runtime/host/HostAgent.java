package dev.ktstr.runtime.host;

import dev.ktstr.runtime.agent.AgentBinary;
import dev.ktstr.runtime.agent.AgentClient;
import dev.ktstr.runtime.agent.AgentConnection;
import dev.ktstr.runtime.agent.AgentException;
import dev.ktstr.runtime.agent.PipeTransport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The agent as a child process on this host. Closing it asks the agent to clean up (workers,
 * processes, its cgroups) and exit, and kills it if it does not.
 */
public final class HostAgent implements AutoCloseable {

    private final Process process;
    private final AgentClient client;
    private final ByteArrayOutputStream stderr;

    private HostAgent(Process process, AgentClient client, ByteArrayOutputStream stderr) {
        this.process = process;
        this.client = client;
        this.stderr = stderr;
    }

    /**
     * Starts the agent.
     *
     * @param cgroupRoot the agent's cgroup root, or null for {@code /sys/fs/cgroup/ktstr-<agent pid>}
     */
    public static HostAgent start(String cgroupRoot) throws IOException, AgentException {
        List<String> cmd = new ArrayList<>(List.of(AgentBinary.path().toString(), "--host"));
        if (cgroupRoot != null) {
            cmd.add("--cgroup-root");
            cmd.add(cgroupRoot);
        }
        Process p = new ProcessBuilder(cmd).start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread t = new Thread(() -> drain(p.getErrorStream(), err), "ktstr-host-agent-stderr");
        t.setDaemon(true);
        t.start();
        PipeTransport transport = new PipeTransport(p.getInputStream(), p.getOutputStream(),
                "host agent (pid " + p.pid() + ")");
        AgentConnection conn = new AgentConnection(transport, () -> evidence(p, err));
        p.onExit().thenRun(() -> conn.markDead("the host agent exited with status " + p.exitValue()));
        try {
            return new HostAgent(p, AgentClient.connect(conn, Duration.ofSeconds(30)), err);
        } catch (AgentException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    private static void drain(InputStream in, ByteArrayOutputStream sink) {
        byte[] b = new byte[4096];
        try {
            int n;
            while ((n = in.read(b)) > 0) {
                synchronized (sink) {
                    if (sink.size() < 256 * 1024) {
                        sink.write(b, 0, n);
                    }
                }
            }
        } catch (IOException e) {
            // the agent exited
        }
    }

    private static String evidence(Process p, ByteArrayOutputStream err) {
        String s;
        synchronized (err) {
            s = err.toString(StandardCharsets.UTF_8).trim();
        }
        String status = p.isAlive() ? "still running" : "exit status " + p.exitValue();
        return "host agent pid " + p.pid() + " (" + status + ")" + (s.isEmpty() ? "" : "; its stderr:\n" + s);
    }

    public AgentClient agent() {
        return client;
    }

    public long pid() {
        return process.pid();
    }

    /** What the agent printed on stderr so far. */
    public String stderr() {
        synchronized (stderr) {
            return stderr.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                client.poweroff(0);
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (AgentException e) {
                // already gone
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        client.close();
    }
}

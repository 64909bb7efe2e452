package dev.ktstr.kvm.qemu;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of the QEMU Machine Protocol (docs/interop/qmp-spec): the greeting, capability
 * negotiation, fire-and-forget commands, and the {@code SHUTDOWN} event's reason. QMP sends one JSON
 * object per line; the few fields we need are picked out with patterns rather than a JSON library.
 */
final class QmpClient implements AutoCloseable {

    private static final Pattern EVENT = Pattern.compile("\"event\"\\s*:\\s*\"([A-Z_]+)\"");
    private static final Pattern REASON = Pattern.compile("\"reason\"\\s*:\\s*\"([a-z-]+)\"");

    private final SocketChannel channel;
    private final OutputStream out;
    private final AtomicReference<String> shutdownReason = new AtomicReference<>();
    private final Thread reader;

    /** Takes a connected socket, negotiates capabilities and starts reading events. */
    QmpClient(SocketChannel channel, Consumer<String> onShutdown) throws IOException {
        this.channel = channel;
        this.out = SocketStreams.out(channel);
        BufferedReader in = new BufferedReader(new InputStreamReader(SocketStreams.in(channel),
                StandardCharsets.UTF_8));
        String greeting = in.readLine();
        if (greeting == null || !greeting.contains("\"QMP\"")) {
            throw new IOException("QEMU did not send a QMP greeting: " + greeting);
        }
        command("qmp_capabilities");
        reader = new Thread(() -> {
            try {
                String line;
                while ((line = in.readLine()) != null) {
                    Matcher e = EVENT.matcher(line);
                    if (e.find() && e.group(1).equals("SHUTDOWN")) {
                        Matcher r = REASON.matcher(line);
                        String reason = r.find() ? r.group(1) : "unknown";
                        shutdownReason.compareAndSet(null, reason);
                        onShutdown.accept(reason);
                    }
                }
            } catch (IOException e) {
                // QEMU exited: the VM's exit handling takes over.
            }
        }, "ktstr-qmp");
        reader.setDaemon(true);
        reader.start();
    }

    /** Sends a command without arguments; the reply is not awaited. */
    synchronized void command(String name) throws IOException {
        out.write(("{\"execute\":\"" + name + "\"}\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The reason of the guest's SHUTDOWN event ({@code guest-shutdown}, {@code guest-reset}, ...), or null. */
    String shutdownReason() {
        return shutdownReason.get();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // already closed by QEMU's exit
        }
    }
}

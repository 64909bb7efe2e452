package dev.ktstr.kvm.qemu;

import dev.ktstr.kvm.engine.ConsoleLog;
import dev.ktstr.kvm.engine.GuestMemory;
import dev.ktstr.kvm.engine.GuestRegion;
import dev.ktstr.kvm.engine.VmExit;
import dev.ktstr.kvm.engine.VmSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A running QEMU guest. Its exit is classified from, in order: a kernel panic seen on the console, a
 * watchdog or host stop, QMP's SHUTDOWN reason, and QEMU's own exit status.
 */
final class QemuVm implements dev.ktstr.kvm.engine.RunningVm {

    private static final int CONSOLE_LINES = 2000;
    private static final int TAIL = 40;

    private final VmSpec spec;
    private final String description;
    private final Process process;
    private final ConsoleLog console = new ConsoleLog(CONSOLE_LINES);
    private final SocketChannel agentChannel;
    private final QmpClient qmp;
    private final MappedGuestMemory memory;
    private final GuestRegion agentRegion;
    private final List<Path> ownedFiles;
    private final CompletableFuture<VmExit> exit = new CompletableFuture<>();
    private final ScheduledExecutorService timers;
    private final ByteArrayOutputStream stderrTail = new ByteArrayOutputStream();
    private final long startedNanos = System.nanoTime();
    private final Thread consolePump;
    private final VcpuThreadTimes vcpuTimes;
    private volatile String panicLine;
    private volatile VmExit forcedExit;

    QemuVm(VmSpec spec, String description, Process process, SocketChannel agentChannel, QmpClient qmp,
            MappedGuestMemory memory, List<Path> ownedFiles) {
        this.spec = spec;
        this.description = description;
        this.process = process;
        this.agentChannel = agentChannel;
        this.qmp = qmp;
        this.memory = memory;
        this.ownedFiles = List.copyOf(ownedFiles);
        this.vcpuTimes = new VcpuThreadTimes(process.pid(), spec.topology().totalCpus());
        this.agentRegion = spec.agentRegionBytes() == 0 ? null
                : new GuestRegion(QemuCommandLine.AGENT_REGION_GPA,
                        memory.slice(QemuCommandLine.AGENT_REGION_GPA, spec.agentRegionBytes()));
        console.addListener(line -> {
            if (panicLine == null && line.contains("Kernel panic - not syncing")) {
                panicLine = line.substring(line.indexOf("Kernel panic")).trim();
            }
        });
        timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ktstr-qemu-watchdog");
            t.setDaemon(true);
            return t;
        });
        consolePump = pump(process.getInputStream(), "ktstr-qemu-console", (b, n) -> console.append(b, 0, n));
        pump(process.getErrorStream(), "ktstr-qemu-stderr", (b, n) -> {
            synchronized (stderrTail) {
                if (stderrTail.size() < 64 * 1024) {
                    stderrTail.write(b, 0, n);
                }
            }
        });
        timers.schedule(() -> stopWith(new VmExit.TimedOut(spec.watchdog().toMillis(), List.of())),
                spec.watchdog().toMillis(), TimeUnit.MILLISECONDS);
        process.onExit().thenRun(this::onProcessExit);
    }

    private interface Sink {
        void accept(byte[] b, int n);
    }

    private static Thread pump(InputStream in, String name, Sink sink) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    sink.accept(buf, n);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void onProcessExit() {
        // The console pump delivers the last lines (a panic is printed just before the exit) once it
        // reads EOF; wait for it so the classification below sees them.
        try {
            consolePump.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<String> tail = console.tail(TAIL);
        VmExit e;
        VmExit forced = forcedExit;
        String reason = qmp.shutdownReason();
        if (panicLine != null) {
            e = new VmExit.KernelPanic(panicLine, tail);
        } else if (forced instanceof VmExit.TimedOut t) {
            e = new VmExit.TimedOut(t.afterMs(), tail);
        } else if (forced instanceof VmExit.Killed k) {
            e = new VmExit.Killed(k.why(), tail);
        } else if ("guest-shutdown".equals(reason)) {
            e = new VmExit.PoweredOff(tail);
        } else if ("guest-panic".equals(reason)) {
            e = new VmExit.KernelPanic("guest reported a panic", tail);
        } else if ("guest-reset".equals(reason)) {
            e = new VmExit.Reset("guest reset (reboot, triple fault or panic=-1)", tail);
        } else {
            String err;
            synchronized (stderrTail) {
                err = stderrTail.toString(StandardCharsets.UTF_8).trim();
            }
            e = new VmExit.EngineFailed("qemu exited with status " + process.exitValue()
                    + (reason == null ? "" : " after " + reason) + (err.isEmpty() ? "" : ": " + err), tail);
        }
        exit.complete(e);
        timers.shutdownNow();
    }

    private void stopWith(VmExit why) {
        if (!process.isAlive()) {
            return;
        }
        forcedExit = why;
        try {
            qmp.command("quit");
        } catch (IOException e) {
            process.destroyForcibly();
        }
        timers.schedule(() -> {
            process.destroyForcibly();
        }, 3, TimeUnit.SECONDS);
    }

    @Override
    public VmSpec spec() {
        return spec;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public ConsoleLog console() {
        return console;
    }

    @Override
    public InputStream agentSerialIn() {
        return SocketStreams.in(agentChannel);
    }

    @Override
    public OutputStream agentSerialOut() {
        return SocketStreams.out(agentChannel);
    }

    /** QEMU's stdin, which is COM1's receive side (the interactive shell types here). */
    OutputStream consoleIn() {
        return process.getOutputStream();
    }

    @Override
    public Optional<GuestRegion> agentRegion() {
        return Optional.ofNullable(agentRegion);
    }

    @Override
    public GuestMemory memory() {
        return memory;
    }

    @Override
    public CompletableFuture<VmExit> exit() {
        return exit;
    }

    @Override
    public long[] vcpuCpuTimeNs() {
        return vcpuTimes.read();
    }

    @Override
    public void requestStop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        try {
            qmp.command("system_powerdown");
        } catch (IOException e) {
            // QEMU is going away by itself
        }
        timers.schedule(() -> stopWith(new VmExit.Killed("did not power off within " + grace.toMillis()
                + " ms of a stop request", List.of())), grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void kill() {
        if (process.isAlive()) {
            forcedExit = new VmExit.Killed("killed by the host", List.of());
            process.destroyForcibly();
        }
    }

    /** Milliseconds since QEMU was started. */
    long uptimeMs() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    @Override
    public void close() {
        kill();
        try {
            process.onExit().get(10, TimeUnit.SECONDS);
            exit.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Best effort: the process was destroyed forcibly above.
        }
        timers.shutdownNow();
        qmp.close();
        memory.release();
        try {
            agentChannel.close();
        } catch (IOException e) {
            // already closed by QEMU's exit
        }
        for (Path p : ownedFiles) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // a leftover in a private work dir; the caller deletes the dir
            }
        }
    }
}

package dev.ktstr.kvm.qemu;

import dev.ktstr.kvm.engine.EngineAvailability;
import dev.ktstr.kvm.engine.HostVirtualization;
import dev.ktstr.kvm.engine.InitramfsPart;
import dev.ktstr.kvm.engine.RunningVm;
import dev.ktstr.kvm.engine.VmEngine;
import dev.ktstr.kvm.engine.VmSpec;
import dev.ktstr.kvm.engine.VmStartException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The QEMU engine, in one of two modes: with KVM ({@code qemu-kvm}) or single-threaded TCG software
 * emulation ({@code qemu-tcg}). Registered twice through {@link java.util.ServiceLoader} (see
 * {@link Kvm} and {@link Tcg}).
 */
public abstract class QemuEngine implements VmEngine {

    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final String SHM_PREFIX = "ktstr-qemu-";
    private static final long START_TIMEOUT_MS = 30_000;

    private final boolean kvm;

    protected QemuEngine(boolean kvm) {
        this.kvm = kvm;
    }

    /** QEMU with KVM acceleration. */
    public static final class Kvm extends QemuEngine {
        public Kvm() {
            super(true);
        }
    }

    /** QEMU with TCG software emulation. */
    public static final class Tcg extends QemuEngine {
        public Tcg() {
            super(false);
        }
    }

    @Override
    public String id() {
        return kvm ? "qemu-kvm" : "qemu-tcg";
    }

    @Override
    public EngineAvailability availability() {
        var bin = QemuBinary.find();
        if (bin.isEmpty()) {
            return EngineAvailability.unusable("qemu-system-x86_64 is not installed (Debian package qemu-system-x86)");
        }
        if (!kvm) {
            return EngineAvailability.usable("QEMU " + bin.get().version() + " software emulation");
        }
        HostVirtualization v = HostVirtualization.probe();
        return v.runsStockKernels() ? EngineAvailability.usable("QEMU " + bin.get().version() + " with KVM")
                : EngineAvailability.unusable(v.detail());
    }

    @Override
    public RunningVm start(VmSpec spec) throws VmStartException {
        QemuBinary bin = QemuBinary.find().orElseThrow(
                () -> new VmStartException("qemu-system-x86_64 is not installed (Debian package qemu-system-x86)"));
        if (!Files.isRegularFile(spec.kernel().path())) {
            throw new VmStartException("kernel image " + spec.kernel().path() + " does not exist");
        }
        cleanUpAfterDeadRuns();
        List<Path> owned = new ArrayList<>();
        ServerSocketChannel agentServer = null;
        ServerSocketChannel qmpServer = null;
        Process process = null;
        try {
            Files.createDirectories(spec.workDir());
            Path initrd = initrdFile(spec, owned);
            Path agentSock = socketPath(spec.workDir(), "agent");
            Path qmpSock = socketPath(spec.workDir(), "qmp");
            owned.add(agentSock);
            owned.add(qmpSock);
            agentServer = listen(agentSock);
            qmpServer = listen(qmpSock);
            String tag = SHM_PREFIX + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet();
            List<Path> ram = new ArrayList<>();
            for (int n = 0; n < spec.topology().numaNodes(); n++) {
                Path f = Path.of("/dev/shm", tag + "-ram" + n);
                ram.add(f);
                owned.add(f);
            }
            List<String> cmd = QemuCommandLine.build(bin.path(), spec, kvm, ram, initrd, agentSock, qmpSock);
            process = new ProcessBuilder(cmd).start();
            SocketChannel agent = accept(agentServer, process, "COM2 (agent channel)");
            SocketChannel qmpCh = accept(qmpServer, process, "QMP");
            QemuVm[] self = new QemuVm[1];
            QmpClient qmp = new QmpClient(qmpCh, reason -> { });
            // QMP answers only once the machine is built, so the RAM backends exist now: map, then
            // unlink them so that nothing in /dev/shm outlives the VM, whatever happens to us.
            long[] sizes = new long[spec.topology().numaNodes()];
            for (int n = 0; n < sizes.length; n++) {
                sizes[n] = spec.nodeMemoryMb(n) << 20;
            }
            MappedGuestMemory mem = new MappedGuestMemory(ram, new PcMemoryLayout(sizes));
            for (Path f : ram) {
                Files.deleteIfExists(f);
            }
            String desc = id() + " (QEMU " + bin.version() + ", pc, " + spec.kernel().format() + ", "
                    + spec.topology().render() + ", " + spec.memoryMb() + " MiB)";
            self[0] = new QemuVm(spec, desc, process, agent, qmp, mem, owned);
            return self[0];
        } catch (IOException | RuntimeException e) {
            String err = "";
            if (process != null) {
                process.destroyForcibly();
                try {
                    process.waitFor(5, TimeUnit.SECONDS);
                    err = new String(process.getErrorStream().readAllBytes()).trim();
                } catch (IOException | InterruptedException ignored) {
                    // nothing more to learn from a QEMU that failed to start
                }
            }
            for (Path p : owned) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a private work dir; the caller removes it
                }
            }
            throw new VmStartException("QEMU failed to start: " + e.getMessage() + (err.isEmpty() ? "" : ": " + err), e);
        } finally {
            closeQuietly(agentServer);
            closeQuietly(qmpServer);
        }
    }

    /** One initrd file: a single file part is used as is; otherwise the parts are concatenated. */
    private static Path initrdFile(VmSpec spec, List<Path> owned) throws IOException {
        List<InitramfsPart> parts = spec.initramfs();
        if (parts.size() == 1 && parts.get(0) instanceof InitramfsPart.FilePart f) {
            return f.path();
        }
        Path out = spec.workDir().resolve("initrd.img");
        owned.add(out);
        try (FileChannel dst = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (InitramfsPart p : parts) {
                if (p instanceof InitramfsPart.FilePart f) {
                    try (FileChannel src = FileChannel.open(f.path(), StandardOpenOption.READ)) {
                        long pos = 0;
                        long size = src.size();
                        while (pos < size) {
                            pos += src.transferTo(pos, size - pos, dst);
                        }
                    }
                } else if (p instanceof InitramfsPart.BytesPart b) {
                    var buf = b.bytes().duplicate();
                    while (buf.hasRemaining()) {
                        dst.write(buf);
                    }
                }
            }
        }
        return out;
    }

    /** UNIX socket paths are limited to 107 bytes; fall back to /tmp for deep work dirs. */
    private static Path socketPath(Path workDir, String name) throws IOException {
        Path p = workDir.resolve(name + ".sock");
        if (p.toString().length() < 100) {
            return p;
        }
        Path t = Files.createTempFile("ktstr-" + name, ".sock");
        Files.delete(t);
        return t;
    }

    private static ServerSocketChannel listen(Path path) throws IOException {
        Files.deleteIfExists(path);
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(path));
        s.configureBlocking(false);
        return s;
    }

    /** Waits for QEMU to connect, failing early if QEMU exits first. */
    private static SocketChannel accept(ServerSocketChannel server, Process p, String what) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (System.nanoTime() < deadline) {
            SocketChannel c = server.accept();
            if (c != null) {
                c.configureBlocking(true);
                return c;
            }
            if (!p.isAlive()) {
                throw new IOException("QEMU exited with status " + p.exitValue() + " before connecting " + what);
            }
            try {
                Thread.sleep(5); // QEMU connects within milliseconds of starting; only start-up waits here
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for QEMU", e);
            }
        }
        throw new IOException("QEMU did not connect " + what + " within " + START_TIMEOUT_MS + " ms");
    }

    /**
     * Cleans up after a JVM that was killed (SIGKILL) while its VMs ran: their QEMU processes, which
     * name the JVM in their RAM backend path, are killed once that JVM is gone, and RAM backends left
     * between a QEMU's start and their unlink are deleted.
     */
    static void cleanUpAfterDeadRuns() {
        ProcessHandle.allProcesses().forEach(p -> {
            String cmd = p.info().commandLine().orElse("");
            int at = cmd.indexOf("mem-path=/dev/shm/" + SHM_PREFIX);
            if (!cmd.contains("qemu-system") || at < 0) {
                return;
            }
            String rest = cmd.substring(at + "mem-path=/dev/shm/".length() + SHM_PREFIX.length());
            try {
                long owner = Long.parseLong(rest.substring(0, rest.indexOf('-')));
                if (!ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
                    p.destroyForcibly();
                }
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                // not one of ours
            }
        });
        try (var files = Files.list(Path.of("/dev/shm"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String n = f.getFileName().toString();
                if (!n.startsWith(SHM_PREFIX)) {
                    continue;
                }
                String[] parts = n.substring(SHM_PREFIX.length()).split("-");
                try {
                    long pid = Long.parseLong(parts[0]);
                    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                        continue;
                    }
                } catch (NumberFormatException e) {
                    continue;
                }
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // /dev/shm unreadable: nothing to clean
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // closing a listening socket cannot lose data
        }
    }

    /** COM1's receive side of a QEMU VM (for an interactive shell), or null for other engines. */
    public static OutputStream consoleInput(RunningVm vm) {
        return vm instanceof QemuVm q ? q.consoleIn() : null;
    }
}

package dev.ktstr.runtime.monitor;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ktstr.kvm.engine.GuestMemory;
import dev.ktstr.kvm.introspect.BufferGuestMemory;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * TEST SCAFFOLDING, not an engine: boots the dev kernel under QEMU exactly like the project's spike
 * ({@code /work/devcache/spike/host.py}: PVH vmlinux, {@code -accel tcg,thread=single}, guest RAM in a
 * {@code /dev/shm} memory-backend file shared with the host, COM2 on a UNIX socket) with a tiny static
 * C {@code /init} ({@code spike_init.c}) that obeys one-line commands on COM2, and exposes guest RAM
 * as a {@link GuestMemory} over the mapped file (a single-node guest under 3.5 GiB: guest physical
 * address = file offset). It stands in for {@code dev.ktstr.kvm.qemu} and the guest agent until they
 * exist; the real-guest monitor tests will then switch to them.
 *
 * <p>{@link #close()} powers the guest off (killing QEMU if it does not stop), and deletes the shared
 * memory file, the socket and the temporary directory in all cases. Tests are skipped, with the
 * reason, when QEMU, gcc or the dev kernel are absent.
 */
final class SpikeGuest implements AutoCloseable {

    static final Path VMLINUZ = DevKernel.DIR.resolve("vmlinuz-7.3.4+deb13-cloud-amd64");
    private static final String QEMU = "qemu-system-x86_64";
    private static final long RAM_MB = 256;
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(60);
    private static final String FAST_CMDLINE = "console=ttyS0 panic=-1 loglevel=4 no_timer_check tsc=reliable"
            + " i8042.noaux i8042.nokbd i8042.nopnp i8042.dumbkbd mitigations=off cryptomgr.notests audit=0"
            + " nowatchdog random.trust_cpu=on rcupdate.rcu_expedited=1 lsm=capability rdinit=/init";
    private static final AtomicInteger SEQ = new AtomicInteger();

    /** How to boot. */
    enum Kernel {
        /** The ELF vmlinux through its PVH entry, with {@code nokaslr}: what the monitor needs. */
        PVH_NOKASLR,
        /**
         * The same without {@code nokaslr}. Nothing is randomized all the same: KASLR lives in the
         * bzImage decompressor, which the PVH entry skips.
         */
        PVH_KASLR,
        /** The bzImage through its decompressor, without {@code nokaslr}: the image is randomized too. */
        BZIMAGE_KASLR
    }

    private final Path work;
    private final Path shm;
    private final Process qemu;
    private final ServerSocketChannel server;
    private SocketChannel channel;
    private final FileChannel ramFile;
    private final MappedByteBuffer ram;
    private final GuestMemory memory;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private Thread reader;
    private final int cpus;

    private SpikeGuest(int cpus, Kernel kernel) throws Exception {
        this.cpus = cpus;
        Path init = buildInitramfs();
        work = Files.createTempDirectory("ktstr-spike-");
        shm = Path.of("/dev/shm", "ktstr-spike-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet());
        Path sock = work.resolve("com2.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        Process started = null;
        FileChannel fc = null;
        try {
            // Created and sized here, so it exists (and is mapped) before QEMU opens it.
            fc = FileChannel.open(shm, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
            fc.truncate(RAM_MB << 20);
            fc.write(ByteBuffer.wrap(new byte[1]), (RAM_MB << 20) - 1);
            server.bind(UnixDomainSocketAddress.of(sock));
            Path image = kernel == Kernel.BZIMAGE_KASLR ? VMLINUZ : DevKernel.VMLINUX;
            String cmdline = FAST_CMDLINE + (kernel == Kernel.PVH_NOKASLR ? " nokaslr" : "");
            List<String> cmd = List.of(QEMU, "-name", "ktstr-spike,debug-threads=on", "-M", "pc", "-accel", "tcg,thread=single", "-m", RAM_MB + "M",
                    "-smp", cpus + ",sockets=1,cores=" + cpus + ",threads=1",
                    "-object", "memory-backend-file,id=ram0,size=" + RAM_MB + "M,mem-path=" + shm + ",share=on",
                    "-machine", "memory-backend=ram0", "-kernel", image.toString(), "-initrd", init.toString(),
                    "-display", "none", "-no-reboot", "-nodefaults", "-serial", "file:" + work.resolve("console.log"),
                    "-chardev", "socket,id=com2,path=" + sock, "-serial", "chardev:com2", "-append", cmdline);
            started = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(work.resolve("qemu.log").toFile()).start();
            channel = accept(started);
        } catch (Exception | Error e) {
            if (started != null) {
                started.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            if (fc != null) {
                fc.close();
            }
            server.close();
            Files.deleteIfExists(shm);
            deleteTree(work);
            throw e;
        }
        qemu = started;
        ramFile = fc;
        ram = ramFile.map(FileChannel.MapMode.READ_WRITE, 0, RAM_MB << 20);
        memory = new BufferGuestMemory(ram);
        reader = new Thread(this::readLines, "spike-guest-com2");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Boots a guest with {@code cpus} vCPUs and waits for its init to report ready.
     */
    static SpikeGuest boot(int cpus, Kernel kernel) throws Exception {
        assumeTrue(onPath(QEMU), QEMU + " is not installed (Debian: qemu-system-x86): real-guest test skipped");
        assumeTrue(onPath("gcc"), "gcc is not installed: the spike guest's init cannot be built: test skipped");
        assumeTrue(Files.isReadable(DevKernel.VMLINUX), "dev kernel " + DevKernel.VMLINUX + " is absent: test skipped");
        assumeTrue(kernel != Kernel.BZIMAGE_KASLR || Files.isReadable(VMLINUZ), VMLINUZ + " is absent: test skipped");
        assumeTrue(Files.isDirectory(Path.of("/dev/shm")), "no /dev/shm: test skipped");
        SpikeGuest g = new SpikeGuest(cpus, kernel);
        try {
            String ready = g.nextLine(BOOT_TIMEOUT);
            if (!ready.startsWith("ready ")) {
                throw new IllegalStateException("guest init said '" + ready + "' instead of ready");
            }
            return g;
        } catch (Exception | Error e) {
            g.close();
            throw e;
        }
    }

    private static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, exe)));
    }

    /** Compiles spike_init.c statically and packs it as the only program of a newc initramfs (once per build). */
    private static synchronized Path buildInitramfs() throws IOException, InterruptedException {
        Path dir = Path.of("target", "spike-guest").toAbsolutePath();
        Path cpio = dir.resolve("initramfs.cpio");
        Path src = dir.resolve("spike_init.c");
        byte[] source;
        try (var in = SpikeGuest.class.getResourceAsStream("spike_init.c")) {
            if (in == null) {
                throw new IOException("test resource spike_init.c is missing");
            }
            source = in.readAllBytes();
        }
        if (Files.exists(cpio) && Files.exists(src) && java.util.Arrays.equals(Files.readAllBytes(src), source)) {
            return cpio;
        }
        Files.createDirectories(dir);
        Files.write(src, source);
        Path bin = dir.resolve("init");
        Process cc = new ProcessBuilder("gcc", "-static", "-std=gnu11", "-Wall", "-Wextra", "-Werror", "-O2", "-o",
                bin.toString(), src.toString()).redirectErrorStream(true).start();
        String out = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (cc.waitFor() != 0) {
            throw new IOException("gcc failed on spike_init.c: " + out);
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int ino = 1;
        for (String d : List.of("dev", "proc", "sys")) {
            newc(b, ino++, d, 040755, 0, 0, new byte[0]);
        }
        newc(b, ino++, "dev/console", 020600, 5, 1, new byte[0]);
        newc(b, ino++, "init", 0100755, 0, 0, Files.readAllBytes(bin));
        newc(b, 0, "TRAILER!!!", 0, 0, 0, new byte[0]);
        Files.write(cpio, b.toByteArray());
        return cpio;
    }

    /** One entry of a cpio "newc" archive (Linux Documentation/driver-api/early-userspace/buffer-format.rst). */
    private static void newc(ByteArrayOutputStream b, int ino, String name, int mode, int rdevMajor, int rdevMinor,
            byte[] data) {
        byte[] n = (name + "\0").getBytes(StandardCharsets.US_ASCII);
        String h = String.format("070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x", ino, mode, 0, 0, 1, 0,
                data.length, 0, 0, rdevMajor, rdevMinor, n.length, 0);
        b.writeBytes(h.getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(n);
        pad(b);
        b.writeBytes(data);
        pad(b);
    }

    private static void pad(ByteArrayOutputStream b) {
        while (b.size() % 4 != 0) {
            b.write(0);
        }
    }

    private SocketChannel accept(Process p) throws IOException, InterruptedException {
        server.configureBlocking(false);
        long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            SocketChannel c = server.accept();
            if (c != null) {
                c.configureBlocking(true);
                return c;
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("QEMU exited (" + p.exitValue() + ") before connecting COM2: "
                        + tail(work.resolve("qemu.log")));
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("QEMU did not connect COM2 within " + BOOT_TIMEOUT);
    }

    private void readLines() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                StandardCharsets.UTF_8))) {
            String l;
            while ((l = r.readLine()) != null) {
                lines.add(l);
            }
        } catch (IOException e) {
            lines.add("eof: " + e.getMessage());
            return;
        }
        lines.add("eof");
    }

    private String nextLine(Duration timeout) throws InterruptedException {
        String l = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (l == null) {
            throw new IllegalStateException("no reply from the guest within " + timeout + "; console: "
                    + consoleTail());
        }
        if (l.startsWith("eof")) {
            throw new IllegalStateException("guest closed COM2 (" + l + "); console: " + consoleTail());
        }
        return l;
    }

    /** Sends one command and returns its one-line reply. */
    String command(String line) throws IOException, InterruptedException {
        channel.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
        return nextLine(REPLY_TIMEOUT);
    }

    /** The next line of a multi-line reply. */
    String reply() throws InterruptedException {
        return nextLine(REPLY_TIMEOUT);
    }

    /** Sends a command whose reply is several lines ended by {@code end}. */
    List<String> commandLines(String line) throws IOException, InterruptedException {
        channel.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
        List<String> out = new ArrayList<>();
        for (String l = nextLine(REPLY_TIMEOUT); !l.equals("end"); l = nextLine(REPLY_TIMEOUT)) {
            out.add(l);
        }
        return out;
    }

    /** The guest's {@code /proc/kallsyms} lines of {@code names}, as the guest agent will hand them over. */
    String kallsyms(Collection<String> names) throws IOException, InterruptedException {
        StringBuilder sb = new StringBuilder();
        for (String l : commandLines("syms " + String.join(" ", names))) {
            if (!l.startsWith("sym ")) {
                throw new IllegalStateException("unexpected kallsyms reply '" + l + "'");
            }
            sb.append(l, 4, l.length()).append('\n');
        }
        return sb.toString();
    }

    /** Like {@link #command} but fails unless the reply starts with "ok". */
    String ok(String line) throws IOException, InterruptedException {
        String r = command(line);
        if (!r.startsWith("ok")) {
            throw new IllegalStateException("guest command '" + line + "' failed: " + r + "; console: "
                    + consoleTail());
        }
        return r;
    }

    GuestMemory memory() {
        return memory;
    }

    int cpus() {
        return cpus;
    }

    /**
     * Host CPU time of QEMU's vCPU threads, in ns: one entry, because with {@code thread=single} one
     * thread ("ALL CPUs/TCG") runs every vCPU. QEMU names its threads only with {@code -name
     * ...,debug-threads=on}.
     */
    long[] vcpuCpuTimeNs() {
        List<long[]> found = new ArrayList<>();
        Path tasks = Path.of("/proc", String.valueOf(qemu.pid()), "task");
        try (Stream<Path> ts = Files.list(tasks)) {
            for (Path t : ts.sorted(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString())))
                    .toList()) {
                String comm = Files.readString(t.resolve("comm")).strip();
                if (comm.endsWith("/TCG") || comm.endsWith("/KVM")) {
                    String schedstat = Files.readString(t.resolve("schedstat")).strip();
                    found.add(new long[] {Long.parseLong(schedstat.split(" ")[0])});
                }
            }
        } catch (IOException | RuntimeException e) {
            return new long[0]; // QEMU gone or /proc unreadable: unknown
        }
        long[] out = new long[found.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = found.get(i)[0];
        }
        return out;
    }

    String consoleTail() {
        return tail(work.resolve("console.log"));
    }

    private static String tail(Path p) {
        try {
            String s = Files.readString(p, StandardCharsets.ISO_8859_1);
            return s.length() <= 3000 ? s : s.substring(s.length() - 3000);
        } catch (IOException e) {
            return "(" + p + " unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws IOException {
        boolean interrupted = false;
        try {
            if (qemu.isAlive()) {
                try {
                    channel.write(ByteBuffer.wrap("poweroff\n".getBytes(StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    // COM2 already closed: QEMU is going away; it is killed below if not.
                }
                if (!qemu.waitFor(10, TimeUnit.SECONDS)) {
                    qemu.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            interrupted = true;
            qemu.destroyForcibly();
        } finally {
            channel.close();
            server.close();
            if (reader != null) {
                try {
                    reader.join(5000);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            ramFile.close();
            unmap(ram);
            Files.deleteIfExists(shm);
            deleteTree(work);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Releases the mapping now rather than at garbage collection (the tmpfs pages stay until unmapped). */
    private static void unmap(MappedByteBuffer b) {
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field f = unsafeClass.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            Method clean = unsafeClass.getMethod("invokeCleaner", ByteBuffer.class);
            clean.invoke(f.get(null), b);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Not available on this JVM: the mapping goes at the next garbage collection instead.
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

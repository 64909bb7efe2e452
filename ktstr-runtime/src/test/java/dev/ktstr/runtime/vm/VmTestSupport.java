package dev.ktstr.runtime.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ktstr.kvm.engine.EngineSelector;
import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.KernelProvisioner;
import dev.ktstr.runtime.kernel.ResolvedKernel;
import dev.ktstr.runtime.kernel.TerminalProgress;
import dev.ktstr.topology.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Shared set-up of tests that boot real guests: skip with the reason when the host cannot. */
public final class VmTestSupport {

    private VmTestSupport() {}

    /** The engine, or the test is skipped saying why there is none. */
    public static EngineSelector.Choice engine() {
        EngineSelector.Choice c = EngineSelector.fromServiceLoader().choose();
        assumeTrue(c.found(), () -> "no VM engine: " + c.reason());
        return c;
    }

    /** The default kernel (fetched on first use), or the test is skipped saying why there is none. */
    public static ResolvedKernel kernel() {
        try {
            return KernelProvisioner.ensureDefault(TerminalProgress.stderr());
        } catch (KernelException e) {
            assumeTrue(false, "no kernel: " + e.getMessage());
            throw new AssertionError("unreachable");
        }
    }

    static GuestLauncher.Request request(ResolvedKernel k, Topology t, Duration watchdog) {
        return new GuestLauncher.Request(t, 0, k, Optional.empty(), List.of(), Map.of(), List.of(),
                Duration.ofSeconds(60 + t.totalCpus()), watchdog, false, false);
    }

    /** What this JVM may have left behind: QEMU children, RAM backends, work directories. */
    static List<String> leftovers() throws IOException {
        long me = ProcessHandle.current().pid();
        List<String> out = new java.util.ArrayList<>();
        ProcessHandle.current().descendants().filter(p -> p.info().command().orElse("").contains("qemu"))
                .forEach(p -> out.add("process " + p.pid() + " " + p.info().commandLine().orElse("")));
        try (Stream<Path> s = Files.list(Path.of("/dev/shm"))) {
            s.filter(p -> p.getFileName().toString().startsWith("ktstr-qemu-" + me + "-"))
                    .forEach(p -> out.add("shm " + p));
        }
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            s.filter(p -> p.getFileName().toString().startsWith("ktstr-vm-")).filter(VmTestSupport::ownedByMe)
                    .forEach(p -> out.add("dir " + p));
        }
        return out;
    }

    private static final long STARTED = System.currentTimeMillis() - 1000;

    private static boolean ownedByMe(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis() >= STARTED;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits briefly for asynchronous teardown, then asserts nothing is left. */
    static void assertNothingLeft() throws Exception {
        List<String> left = leftovers();
        for (int i = 0; i < 50 && !left.isEmpty(); i++) {
            Thread.sleep(100);
            left = leftovers();
        }
        assertEquals(List.of(), left, "left behind on the host");
    }

    static Map<String, String> none() {
        return Map.of();
    }
}

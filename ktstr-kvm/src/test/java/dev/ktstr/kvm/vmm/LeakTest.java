package dev.ktstr.kvm.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.kvm.engine.InitramfsPart;
import dev.ktstr.kvm.engine.KernelImage;
import dev.ktstr.kvm.engine.VmExit;
import dev.ktstr.kvm.engine.VmSpec;
import dev.ktstr.kvm.engine.VmStartException;
import dev.ktstr.topology.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A closed or failed machine leaves no thread, fd, KVM object, memfd or mapping behind. */
class LeakTest {

    @TempDir
    Path dir;

    /** What the VMM owns in this process: fds, mappings and threads, each by a recognisable name. */
    record Footprint(List<String> fds, List<String> maps, List<String> threads) {

        /**
         * What this footprint holds that {@code earlier} did not. Earlier tests of the same JVM may
         * still hold mappings the garbage collector releases at any time, so a shrinking footprint is
         * fine; only growth is a leak.
         */
        Footprint minus(Footprint earlier) {
            return new Footprint(fds.stream().filter(x -> !earlier.fds.contains(x)).toList(),
                    maps.stream().filter(x -> !earlier.maps.contains(x)).toList(),
                    threads.stream().filter(x -> !earlier.threads.contains(x)).toList());
        }
    }

    private static final Footprint NOTHING = new Footprint(List.of(), List.of(), List.of());

    private static void assertNothingNew(Footprint before) throws Exception {
        assertEquals(NOTHING, settledFootprint().minus(before), "left behind since the test started");
    }

    static Footprint footprint() throws IOException {
        List<String> fds = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path p : s.toList()) {
                try {
                    String target = Files.readSymbolicLink(p).toString();
                    if (target.startsWith("anon_inode:kvm") || target.equals("/dev/kvm")
                            || target.contains("memfd:ktstr")) {
                        fds.add(target);
                    }
                } catch (IOException e) {
                    // the fd closed while listing (e.g. the listing's own directory fd)
                }
            }
        }
        List<String> maps = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(l -> l.contains("memfd:ktstr") || l.contains("anon_inode:kvm")).toList();
        List<String> threads = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .map(Thread::getName).filter(n -> n.startsWith("ktstr-vm")).toList();
        return new Footprint(fds, maps, threads);
    }

    static Footprint settledFootprint() throws Exception {
        Footprint f = footprint();
        for (int i = 0; i < 200 && !f.threads().isEmpty(); i++) {
            Thread.sleep(10);
            f = footprint();
        }
        return f;
    }

    @Test
    void closingAMachineReleasesEverything() throws Exception {
        ProbeGuest.assumeKvm();
        Footprint before = settledFootprint();
        VmSpec spec = ProbeGuest.spec(Topology.parse("1n2l1c2t"), KernelImage.Format.BZIMAGE,
                "probe.quick probe.end=hang", ProbeGuest.initramfs(7, 4096), 1 << 20, Duration.ofSeconds(60), dir);
        KvmMachine m = KvmMachine.start(spec);
        Footprint during = footprint();
        assertTrue(during.fds().stream().anyMatch(f -> f.contains("kvm-vm")), during.fds()::toString);
        assertTrue(during.fds().stream().filter(f -> f.contains("kvm-vcpu")).count() == 4, during.fds()::toString);
        assertTrue(during.maps().stream().anyMatch(l -> l.contains("memfd:ktstr")), "guest RAM is mapped");
        assertTrue(during.threads().size() >= 4, during.threads()::toString);
        m.close();
        assertInstanceOf(VmExit.Killed.class, m.exit().get(60, TimeUnit.SECONDS));
        assertNothingNew(before);
    }

    /**
     * Back-to-back short-lived machines whose guests power off within milliseconds, some while the
     * host may still be starting vCPU threads (the window in which releasing a kvm_run page under a
     * late-started thread once crashed the JVM; the race needs the starting thread to be descheduled,
     * so this exercises it rather than forcing it), and nothing is left behind.
     */
    @Test
    void manyShortLivedMachinesStartAndStopCleanly() throws Exception {
        ProbeGuest.assumeKvm();
        Footprint before = settledFootprint();
        for (int i = 0; i < 25; i++) {
            VmSpec spec = ProbeGuest.spec(Topology.parse("1n2l2c2t"), i % 2 == 0 ? KernelImage.Format.ELF_PVH
                    : KernelImage.Format.BZIMAGE, "probe.quick", List.of(), 0, Duration.ofSeconds(60), dir);
            try (KvmMachine m = KvmMachine.start(spec)) {
                assertInstanceOf(VmExit.PoweredOff.class, m.exit().get(60, TimeUnit.SECONDS));
            }
        }
        assertNothingNew(before);
    }

    @Test
    void aFailedStartReleasesWhatItCreated() throws Exception {
        ProbeGuest.assumeKvm();
        Footprint before = settledFootprint();
        Path missing = dir.resolve("no-such-initramfs");
        VmSpec spec = ProbeGuest.spec(Topology.parse("1n1l2c1t"), KernelImage.Format.ELF_PVH, "probe.quick",
                List.of(new InitramfsPart.FilePart(missing, 4096)), 1 << 20, Duration.ofSeconds(60), dir);
        VmStartException e = assertThrows(VmStartException.class, () -> KvmMachine.start(spec));
        assertTrue(e.getMessage().contains("no-such-initramfs"), e.getMessage());
        assertNothingNew(before);
    }
}

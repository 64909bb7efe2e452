package dev.ktstr.kvm.vmm;

import dev.ktstr.kvm.engine.KernelImage;
import dev.ktstr.kvm.engine.VmExit;
import dev.ktstr.topology.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeSmokeTest {
    @TempDir
    Path dir;

    @Test
    void smoke() throws Exception {
        ProbeGuest.assumeKvm();
        for (KernelImage.Format f : KernelImage.Format.values()) {
            var spec = ProbeGuest.spec(Topology.parse(System.getProperty("topo", "1n1l2c2t")), f, "probe.x=1",
                    ProbeGuest.initramfs(1, 4096, 1000), 1 << 20, Duration.ofSeconds(60), dir);
            long t0 = System.nanoTime();
            try (KvmMachine m = KvmMachine.start(spec)) {
                VmExit e = m.exit().get(90, TimeUnit.SECONDS);
                System.out.println(m.description() + " -> " + e.summary() + " in " + (System.nanoTime() - t0) / 1_000_000
                        + " ms; notes " + m.notes());
                m.console().tail(400).forEach(System.out::println);
            }
        }
    }
}

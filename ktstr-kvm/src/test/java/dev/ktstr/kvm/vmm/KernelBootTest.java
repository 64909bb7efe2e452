package dev.ktstr.kvm.vmm;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.kvm.engine.InitramfsPart;
import dev.ktstr.kvm.engine.KernelImage;
import dev.ktstr.kvm.engine.RunningVm;
import dev.ktstr.kvm.engine.VmExit;
import dev.ktstr.kvm.engine.VmSpec;
import dev.ktstr.topology.Topology;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A stock Linux kernel booted to its /init and powered off through the engine, on hosts with
 * hardware KVM; the init reports what the kernel made of the machine (CPUs, nodes, SMT siblings,
 * the LLC as package, the command line with the agent region). Skipped, with the reason, on PVM or
 * without /dev/kvm.
 */
class KernelBootTest {

    /** The fast command line measured in environment.md, plus rdinit. */
    static final String FAST_CMDLINE = "panic=-1 quiet loglevel=0 no_timer_check tsc=reliable i8042.noaux "
            + "i8042.nokbd i8042.nopnp i8042.dumbkbd nokaslr mitigations=off cryptomgr.notests audit=0 nowatchdog "
            + "random.trust_cpu=on rcupdate.rcu_expedited=1 lsm=capability iomem=relaxed rdinit=/init";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(KernelImage.Format.class)
    void stockKernelBootsToInitAndPowersOff(KernelImage.Format format) throws Exception {
        TestKernels.requireHardwareKvm();
        KernelImage kernel = TestKernels.require(format);
        Topology topo = Topology.parse("2n2l4c2t");
        byte[] initramfs = TestInitramfs.withInit(ProbeGuest.DIR.resolve("test-init"));
        VmSpec spec = new VmSpec(topo, topo.distances(), 1024, kernel,
                List.of(new InitramfsPart.BytesPart(ByteBuffer.wrap(initramfs))), FAST_CMDLINE, 16 << 20,
                Duration.ofSeconds(120), dir, false);
        long t0 = System.nanoTime();
        try (RunningVm vm = new KvmEngine().start(spec)) {
            VmExit exit = vm.exit().get(180, TimeUnit.SECONDS);
            List<String> console = vm.console().tail(2000);
            String all = String.join("\n", console);
            assertInstanceOf(VmExit.PoweredOff.class, exit, () -> exit.summary() + "\n" + all);
            assertTrue(console.contains("ktstr-init: cpus=0-15"), all);
            assertTrue(console.contains("ktstr-init: nodes=0-1"), all);
            assertTrue(console.contains("ktstr-init: cpu0-threads=0-1"), all);
            assertTrue(console.contains("ktstr-init: cpu0-package=0-7"), all);
            long gpa = vm.agentRegion().orElseThrow().gpa();
            assertTrue(console.stream().anyMatch(l -> l.startsWith("ktstr-init: cmdline=")
                    && l.contains("ktstr.shm=0x" + Long.toHexString(gpa) + ",0x1000000")), all);
            System.out.printf("%s: boot to power-off in %d ms%n", vm.description(), (System.nanoTime() - t0) / 1_000_000);
        }
    }
}

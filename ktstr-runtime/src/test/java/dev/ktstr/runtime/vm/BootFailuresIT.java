package dev.ktstr.runtime.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.kvm.engine.EngineSelector;
import dev.ktstr.kvm.engine.InitramfsPart;
import dev.ktstr.kvm.engine.KernelImage;
import dev.ktstr.kvm.engine.VmExit;
import dev.ktstr.kvm.initramfs.PreparedInitramfs;
import dev.ktstr.runtime.agent.AgentException;
import dev.ktstr.runtime.agent.ExecRequest;
import dev.ktstr.runtime.agent.WorkerGroupSpec;
import dev.ktstr.runtime.kernel.ResolvedKernel;
import dev.ktstr.topology.Topology;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a guest can fail gives its named reason and the console tail, and leaves nothing behind
 * (issue "real kernels running", failure cases).
 */
@Tag("vm")
class BootFailuresIT {

    private static final Topology ONE = Topology.of(1, 1, 1);

    @AfterEach
    void nothingLeftBehind() throws Exception {
        VmTestSupport.assertNothingLeft();
    }

    @Test
    void missingKernelSaysHowToFetchOne() {
        BootException e = assertThrows(BootException.class, () -> GuestVm.checkKernel(
                new KernelImage(Path.of("/nonexistent/vmlinux"), KernelImage.Format.ELF_PVH)));
        assertEquals(BootFailure.Kind.MISSING_KERNEL, e.failure().kind());
        assertTrue(e.failure().message().contains("./ktstr kernel fetch"), e.getMessage());
    }

    @Test
    void corruptKernelImagesAreRefusedBeforeOrAtBoot(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("bzImage");
        Files.write(junk, new byte[4096]);
        BootException e = assertThrows(BootException.class,
                () -> GuestVm.checkKernel(new KernelImage(junk, KernelImage.Format.BZIMAGE)));
        assertEquals(BootFailure.Kind.CORRUPT_KERNEL, e.failure().kind());

        // An ELF whose segments were cut off: looks right, but the engine cannot load it.
        EngineSelector.Choice engine = VmTestSupport.engine();
        ResolvedKernel k = VmTestSupport.kernel();
        Path vmlinux = k.vmlinux().orElseThrow();
        Path cut = dir.resolve("vmlinux-cut");
        try (var in = Files.newInputStream(vmlinux)) {
            Files.write(cut, in.readNBytes(1 << 20));
        }
        PreparedInitramfs ir = GuestLauncher.prepare(VmTestSupport.request(k, ONE, Duration.ofSeconds(30)));
        BootException boot = assertThrows(BootException.class, () -> GuestVm.boot(engine.engine(),
                new GuestVm.Spec(ONE, 256, new KernelImage(cut, KernelImage.Format.ELF_PVH), ir.parts(),
                        KernelCmdline.build(VmTestSupport.none(), List.of(), false), Duration.ofSeconds(30),
                        Duration.ofSeconds(60), false)));
        assertTrue(boot.failure().kind() == BootFailure.Kind.ENGINE_FAILED
                || boot.failure().kind() == BootFailure.Kind.VM_ENDED, boot.getMessage());
    }

    @Test
    void anInitramfsTheKernelCannotDecodeIsNamed() throws Exception {
        EngineSelector.Choice engine = VmTestSupport.engine();
        ResolvedKernel k = VmTestSupport.kernel();
        PreparedInitramfs ir = GuestLauncher.prepare(VmTestSupport.request(k, ONE, Duration.ofSeconds(60)));
        byte[] all = Files.readAllBytes(((InitramfsPart.FilePart) ir.base()).path());
        // Cut inside the first block: the kernel reports "Initramfs unpacking failed".
        BootFailure f = bootExpectingFailure(engine, k, ByteBuffer.wrap(all, 0, 100));
        assertEquals(BootFailure.Kind.INITRAMFS_TRUNCATED, f.kind(), f.describe());
        assertTrue(f.message().contains("Initramfs unpacking failed"), f.message());
    }

    @Test
    void anArchiveMissingItsTailIsCaughtByTheMarker() throws Exception {
        EngineSelector.Choice engine = VmTestSupport.engine();
        ResolvedKernel k = VmTestSupport.kernel();
        PreparedInitramfs ir = GuestLauncher.prepare(VmTestSupport.request(k, ONE, Duration.ofSeconds(60)));
        byte[] cpio = Lz4Frames.decompress(Files.readAllBytes(((InitramfsPart.FilePart) ir.base()).path()));
        // A well-formed archive that lost its last member (the marker) at an entry boundary: the kernel
        // unpacks it without complaint, /init runs, and only the marker tells what is missing.
        byte[] cut = Lz4Frames.compress(Lz4Frames.withoutLastMember(cpio));
        BootFailure f = bootExpectingFailure(engine, k, ByteBuffer.wrap(cut));
        assertEquals(BootFailure.Kind.INITRAMFS_TRUNCATED, f.kind(), f.describe());
        assertTrue(f.describe().contains("KTSTR_INITRAMFS_TRUNCATED"), f.describe());
    }

    private static BootFailure bootExpectingFailure(EngineSelector.Choice engine, ResolvedKernel k, ByteBuffer initrd) {
        List<InitramfsPart> parts = new ArrayList<>(List.of(new InitramfsPart.BytesPart(initrd)));
        BootException e = assertThrows(BootException.class, () -> GuestVm.boot(engine.engine(),
                new GuestVm.Spec(ONE, 256, k.bootImage(), parts, KernelCmdline.build(VmTestSupport.none(), List.of(),
                        false), Duration.ofSeconds(60), Duration.ofSeconds(90), false)));
        return e.failure();
    }

    @Test
    void aPanickingGuestEndsPendingRequestsWithThePanic() throws Exception {
        EngineSelector.Choice engine = VmTestSupport.engine();
        ResolvedKernel k = VmTestSupport.kernel();
        try (GuestVm vm = GuestLauncher.launch(VmTestSupport.request(k, ONE, Duration.ofSeconds(120)), engine)) {
            long t0 = System.nanoTime();
            AgentException e = assertThrows(AgentException.class, () -> vm.agent().exec(ExecRequest.shell(
                    "echo 1 > /proc/sys/kernel/sysrq; echo c > /proc/sysrq-trigger; sleep 60", Duration.ofSeconds(90))));
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30), "noticed without waiting out the request");
            assertEquals(AgentException.Kind.AGENT_DIED, e.kind());
            VmExit exit = vm.vm().exit().get(10, TimeUnit.SECONDS);
            VmExit.KernelPanic p = assertInstanceOf(VmExit.KernelPanic.class, exit, exit.summary());
            assertTrue(p.panicLine().contains("sysrq"), p.panicLine());
            assertTrue(e.getMessage().contains("Kernel panic"), "the console tail travels with the error: " + e.getMessage());
        }
    }

    @Test
    void aHungGuestIsStoppedByTheWatchdogWithinItsTimeout() throws Exception {
        EngineSelector.Choice engine = VmTestSupport.engine();
        ResolvedKernel k = VmTestSupport.kernel();
        Duration watchdog = Duration.ofSeconds(25);
        long t0 = System.nanoTime();
        try (GuestVm vm = GuestLauncher.launch(VmTestSupport.request(k, ONE, watchdog), engine)) {
            // A SCHED_FIFO 99 spinner owns the only CPU once RT throttling and the fair server (which
            // otherwise keeps 5 % for normal tasks) are off: the agent never runs again.
            vm.agent().writeFile("/proc/sys/kernel/sched_rt_runtime_us", "-1".getBytes(), false);
            vm.agent().writeFile("/sys/kernel/debug/sched/fair_server/cpu0/runtime", "0".getBytes(), false);
            vm.agent().spawnWorkers(new WorkerGroupSpec(1, "", 1, List.of(), List.of(), List.of(), 1, 1, 99, 0,
                    List.of(), 0, "", 0));
            AgentException e = assertThrows(AgentException.class, () -> {
                vm.agent().startWorkers(List.of(1));
                vm.agent().exec(ExecRequest.of(Duration.ofSeconds(120), "/bin/true"));
            });
            long s = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
            assertEquals(AgentException.Kind.AGENT_DIED, e.kind(), e.getMessage());
            assertTrue(s <= watchdog.toSeconds() + 2, "stopped " + s + " s after start (watchdog " + watchdog + ")");
            assertInstanceOf(VmExit.TimedOut.class, vm.vm().exit().get(5, TimeUnit.SECONDS));
            assertTrue(e.getMessage().contains("VM watchdog fired"), e.getMessage());
        }
    }

    @Test
    void anAgentThatDiesMidRequestIsANamedErrorNotAHang() throws Exception {
        EngineSelector.Choice engine = VmTestSupport.engine();
        ResolvedKernel k = VmTestSupport.kernel();
        try (GuestVm vm = GuestLauncher.launch(VmTestSupport.request(k, ONE, Duration.ofSeconds(120)), engine)) {
            // PID 1 ignores SIGKILL, but a fault kills it: its crash handler reports and powers off.
            vm.agent().spawn("killer", List.of("/bin/sh", "-c", "sleep 1; kill -SEGV 1"), List.of(), "");
            long t0 = System.nanoTime();
            AgentException e = assertThrows(AgentException.class,
                    () -> vm.agent().exec(ExecRequest.of(Duration.ofSeconds(60), "/bin/sleep", "60")));
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30));
            assertEquals(AgentException.Kind.AGENT_DIED, e.kind());
            assertTrue(e.getMessage().contains("KTSTR_AGENT_CRASH signal=11"), e.getMessage());
        }
    }
}

package dev.ktstr.runtime.vm;

import dev.ktstr.kvm.engine.GuestRegion;
import dev.ktstr.kvm.engine.InitramfsPart;
import dev.ktstr.kvm.engine.KernelImage;
import dev.ktstr.kvm.engine.RunningVm;
import dev.ktstr.kvm.engine.VmEngine;
import dev.ktstr.kvm.engine.VmExit;
import dev.ktstr.kvm.engine.VmSpec;
import dev.ktstr.kvm.engine.VmStartException;
import dev.ktstr.runtime.agent.AgentClient;
import dev.ktstr.runtime.agent.AgentConnection;
import dev.ktstr.runtime.agent.AgentException;
import dev.ktstr.runtime.agent.ShmRingTransport;
import dev.ktstr.topology.Topology;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A booted guest with its agent answering. {@link #boot} either returns one or throws a
 * {@link BootException} naming why not; {@link #close} powers it off and removes everything it
 * created on the host.
 */
public final class GuestVm implements AutoCloseable {

    /** Size of the shared region carrying the agent channel. */
    public static final long AGENT_REGION_BYTES = 16L << 20;
    private static final int TAIL = 40;

    /**
     * What to boot.
     *
     * @param topology        exact CPU shape
     * @param memoryMb        guest RAM
     * @param kernel          kernel image and format
     * @param initramfs       initramfs parts (base + per-run suffix)
     * @param cmdline         the guest kernel command line ({@link KernelCmdline})
     * @param bootTimeout     how long the agent has to say HELLO
     * @param watchdog        the VM's hard lifetime limit
     * @param performanceMode host isolation where the engine supports it
     */
    public record Spec(Topology topology, long memoryMb, KernelImage kernel, List<InitramfsPart> initramfs,
            String cmdline, Duration bootTimeout, Duration watchdog, boolean performanceMode) {}

    private final RunningVm vm;
    private final AgentClient agent;
    private final Path workDir;
    private final String engineId;
    private final long bootMs;
    private volatile boolean closed;

    private GuestVm(RunningVm vm, AgentClient agent, Path workDir, String engineId, long bootMs) {
        this.vm = vm;
        this.agent = agent;
        this.workDir = workDir;
        this.engineId = engineId;
        this.bootMs = bootMs;
    }

    public static GuestVm boot(VmEngine engine, Spec spec) throws BootException {
        checkKernel(spec.kernel());
        long t0 = System.nanoTime();
        Path workDir;
        try {
            workDir = Files.createTempDirectory("ktstr-vm-");
        } catch (IOException e) {
            throw new BootException(new BootFailure(BootFailure.Kind.ENGINE_FAILED,
                    "cannot create a work directory: " + e.getMessage(), List.of()), e);
        }
        RunningVm vm;
        try {
            vm = engine.start(new VmSpec(spec.topology(), spec.topology().distances(), spec.memoryMb(), spec.kernel(),
                    spec.initramfs(), spec.cmdline(), AGENT_REGION_BYTES, spec.watchdog(), workDir,
                    spec.performanceMode()));
        } catch (VmStartException e) {
            deleteTree(workDir);
            throw new BootException(new BootFailure(BootFailure.Kind.ENGINE_FAILED, e.getMessage(), List.of()), e);
        }
        try {
            GuestRegion region = vm.agentRegion().orElseThrow(
                    () -> new IllegalStateException(engine.id() + " gave no agent region"));
            ShmRingTransport transport = new ShmRingTransport(region.buffer(), vm.agentSerialIn(),
                    vm.agentSerialOut(), String.format("agent region %d MiB at 0x%x over %s", region.size() >> 20,
                            region.gpa(), engine.id()));
            AgentConnection conn = new AgentConnection(transport, () -> vmEvidence(vm));
            vm.exit().thenAccept(e -> conn.markDead("the VM ended: " + e.summary()));
            AgentClient agent = AgentClient.connect(conn, spec.bootTimeout());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            return new GuestVm(vm, agent, workDir, engine.id(), ms);
        } catch (AgentException e) {
            BootFailure f = classify(vm, e, spec.bootTimeout());
            vm.close();
            deleteTree(workDir);
            throw new BootException(f, e);
        } catch (RuntimeException e) {
            vm.close();
            deleteTree(workDir);
            throw e;
        }
    }

    /** Cheap checks before anything boots: the image exists and looks like an ELF or a bzImage. */
    static void checkKernel(KernelImage k) throws BootException {
        Path p = k.path();
        if (!Files.isRegularFile(p)) {
            throw new BootException(new BootFailure(BootFailure.Kind.MISSING_KERNEL, "no kernel image at " + p
                    + " (fetch one with: ./ktstr kernel fetch)", List.of()));
        }
        byte[] head = new byte[0x210];
        int n;
        try (InputStream in = Files.newInputStream(p)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new BootException(new BootFailure(BootFailure.Kind.MISSING_KERNEL, "cannot read " + p + ": "
                    + e.getMessage(), List.of()), e);
        }
        boolean elf = n >= 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F';
        boolean bz = n >= 0x206 && head[0x202] == 'H' && head[0x203] == 'd' && head[0x204] == 'r' && head[0x205] == 'S';
        boolean ok = k.format() == KernelImage.Format.ELF_PVH ? elf : bz;
        if (!ok) {
            throw new BootException(new BootFailure(BootFailure.Kind.CORRUPT_KERNEL, p + " is not "
                    + (k.format() == KernelImage.Format.ELF_PVH ? "an ELF vmlinux" : "a bzImage (no HdrS magic)"),
                    List.of()));
        }
    }

    private static String vmEvidence(RunningVm vm) {
        // The channel usually closes a moment before the engine has classified the VM's end; wait
        // for that so the error says how it ended (panic, watchdog, ...), not only that it did.
        VmExit e = waitExit(vm, 3);
        String head = e == null ? "the VM is still running" : "the VM ended: " + e.summary();
        return head + "\n--- console (last " + TAIL + " lines) ---\n" + vm.console().tailText(TAIL);
    }

    private static BootFailure classify(RunningVm vm, AgentException e, Duration bootTimeout) {
        if (e.kind() == AgentException.Kind.TIMEOUT) {
            vm.kill();
            waitExit(vm, 5);
            return new BootFailure(BootFailure.Kind.GUEST_HANG, "the agent did not answer within "
                    + bootTimeout.toSeconds() + " s of boot", vm.console().tail(TAIL));
        }
        VmExit exit = waitExit(vm, 10);
        List<String> tail = vm.console().tail(TAIL);
        for (String line : vm.console().tail(400)) {
            if (line.contains("KTSTR_INITRAMFS_TRUNCATED") || line.contains("Initramfs unpacking failed")) {
                return new BootFailure(BootFailure.Kind.INITRAMFS_TRUNCATED, line.trim(), tail);
            }
            int i = line.indexOf("KTSTR_AGENT_FAILED:");
            if (i >= 0) {
                return new BootFailure(BootFailure.Kind.AGENT_FAILED, line.substring(i + 19).trim(), tail);
            }
        }
        if (exit instanceof VmExit.KernelPanic p) {
            return new BootFailure(BootFailure.Kind.KERNEL_PANIC, p.panicLine(), tail);
        }
        if (exit instanceof VmExit.EngineFailed f) {
            return new BootFailure(BootFailure.Kind.ENGINE_FAILED, f.detail(), tail);
        }
        if (exit instanceof VmExit.TimedOut) {
            return new BootFailure(BootFailure.Kind.GUEST_HANG, exit.summary(), tail);
        }
        return new BootFailure(BootFailure.Kind.VM_ENDED, exit == null ? e.getMessage() : exit.summary(), tail);
    }

    private static VmExit waitExit(RunningVm vm, int seconds) {
        try {
            return vm.exit().get(seconds, TimeUnit.SECONDS);
        } catch (Exception ex) {
            return null;
        }
    }

    public AgentClient agent() {
        return agent;
    }

    public RunningVm vm() {
        return vm;
    }

    /** Engine id, e.g. {@code qemu-tcg}. */
    public String engineId() {
        return engineId;
    }

    /** Milliseconds from start to the agent's HELLO. */
    public long bootMs() {
        return bootMs;
    }

    /**
     * Powers the guest off through the agent and waits for the VM to end; stops it hard when it does
     * not end within {@code grace}. Returns how it ended.
     */
    public VmExit shutdown(Duration grace) {
        if (!vm.exit().isDone()) {
            try {
                agent.poweroff(0);
            } catch (AgentException e) {
                // already dead: the exit below says how it ended
            }
            try {
                return vm.exit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                vm.kill();
            }
        }
        return waitExit(vm, 10);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        shutdown(Duration.ofSeconds(10));
        agent.close();
        vm.close();
        deleteTree(workDir);
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // left for the next run's temp cleanup; nothing holds it
                }
            });
        } catch (IOException e) {
            // as above
        }
    }
}

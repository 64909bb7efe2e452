package dev.ktstr.runtime.vm;

import dev.ktstr.kvm.engine.EngineSelector;
import dev.ktstr.kvm.initramfs.BaseSpec;
import dev.ktstr.kvm.initramfs.Include;
import dev.ktstr.kvm.initramfs.Initramfs;
import dev.ktstr.kvm.initramfs.InitramfsException;
import dev.ktstr.kvm.initramfs.PreparedInitramfs;
import dev.ktstr.kvm.initramfs.Suffix;
import dev.ktstr.runtime.agent.AgentBinary;
import dev.ktstr.runtime.kernel.ResolvedKernel;
import dev.ktstr.topology.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns "this topology, this kernel, this scheduler, these files" into a booted {@link GuestVm}: the
 * initramfs (agent as /init, busybox, scheduler, the kernel config libbpf reads, include files with
 * their libraries; the base cached in shared memory), guest memory sizing, the command line, and the
 * engine {@link EngineSelector} picked.
 */
public final class GuestLauncher {

    /** Where Debian's busybox-static installs its binary. */
    public static final Path BUSYBOX = Path.of("/bin/busybox");
    /** Inside the guest: where the scheduler binary lives. */
    public static final String GUEST_SCHEDULER = dev.ktstr.kvm.initramfs.InitramfsLayout.SCHEDULER;

    private static volatile Initramfs initramfs;

    private GuestLauncher() {}

    /**
     * What to launch.
     *
     * @param topology     exact CPU shape
     * @param memoryMb     requested guest RAM; raised to what the topology and initramfs need
     * @param kernel       the kernel
     * @param scheduler    a scheduler binary to ship (at {@value #GUEST_SCHEDULER}), if any
     * @param includes     host files/dirs/commands to ship (at {@code /include-files/<name>})
     * @param sysctls      guest sysctls
     * @param kargs        extra kernel arguments
     * @param bootTimeout  how long the agent has to answer
     * @param watchdog     hard VM lifetime
     * @param verbose      kernel messages on the console
     * @param performanceMode host isolation where supported
     */
    public record Request(Topology topology, long memoryMb, ResolvedKernel kernel, Optional<Path> scheduler,
            List<String> includes, Map<String, String> sysctls, List<String> kargs, Duration bootTimeout,
            Duration watchdog, boolean verbose, boolean performanceMode) {}

    public static GuestVm launch(Request r, EngineSelector.Choice engine) throws BootException {
        if (!engine.found()) {
            throw new BootException(new BootFailure(BootFailure.Kind.NO_ENGINE, engine.reason(), List.of()));
        }
        PreparedInitramfs prepared = prepare(r);
        long mem = memoryMb(r.topology(), r.memoryMb(), prepared.uncompressedSize(), prepared.initrdSize());
        String cmdline = KernelCmdline.build(r.sysctls(), r.kargs(), r.verbose());
        return GuestVm.boot(engine.engine(), new GuestVm.Spec(r.topology(), mem, r.kernel().bootImage(),
                prepared.parts(), cmdline, r.bootTimeout(), r.watchdog(), r.performanceMode()));
    }

    /**
     * How long a guest of this shape may take to reach its agent: single-threaded emulation boots one
     * vCPU after another (measured: 2 vCPUs 1.8 s, 16 vCPUs 4.5 s, 128 vCPUs 55 s), hardware KVM does not.
     */
    public static Duration bootTimeout(EngineSelector.Choice engine, Topology t) {
        boolean emulated = engine.found() && engine.engine().id().equals("qemu-tcg");
        return emulated ? Duration.ofSeconds(30 + t.totalCpus()) : Duration.ofSeconds(30 + t.totalCpus() / 10);
    }

    /**
     * Guest RAM: at least 64 MiB per CPU and 256 MiB, and room for the unpacked initramfs next to the
     * compressed one, the kernel and the agent region.
     */
    static long memoryMb(Topology t, long requested, long initramfsBytes, long initrdBytes) {
        long initramfsMb = ((initramfsBytes * 10 / 9 + initrdBytes) >> 20) + 1;
        long floor = Math.max(Math.max(t.totalCpus() * 64L, 256L), 192 + initramfsMb);
        return Math.max(requested, floor);
    }

    static PreparedInitramfs prepare(Request r) throws BootException {
        try {
            if (!Files.isExecutable(BUSYBOX)) {
                throw new BootException(new BootFailure(BootFailure.Kind.ENGINE_FAILED, BUSYBOX
                        + " is missing: install Debian's busybox-static (scripts/setup-host.sh core)", List.of()));
            }
            BaseSpec.Builder b = BaseSpec.builder(AgentBinary.path()).busybox(BUSYBOX);
            if (r.scheduler().isPresent()) {
                Path s = r.scheduler().get();
                if (!Files.isExecutable(s)) {
                    throw new BootException(new BootFailure(BootFailure.Kind.ENGINE_FAILED,
                            "scheduler binary " + s + " does not exist or is not executable", List.of()));
                }
                b.scheduler(s);
            }
            // libbpf reads the running kernel's Kconfig from /boot/config-<release>.
            if (r.kernel().config().isPresent()) {
                b.include(Include.at(r.kernel().config().get().toString(), "/boot/config-" + r.kernel().release()));
            }
            for (String inc : r.includes()) {
                b.include(inc);
            }
            Initramfs ir = initramfs;
            if (ir == null) {
                synchronized (GuestLauncher.class) {
                    if (initramfs == null) {
                        initramfs = Initramfs.system();
                    }
                    ir = initramfs;
                }
            }
            return ir.prepare(b.build(), Suffix.builder().file("/ktstr/release", r.kernel().release()).build());
        } catch (IOException | InitramfsException e) {
            throw new BootException(new BootFailure(BootFailure.Kind.ENGINE_FAILED,
                    "cannot build the initramfs: " + e.getMessage(), List.of()), e);
        }
    }
}

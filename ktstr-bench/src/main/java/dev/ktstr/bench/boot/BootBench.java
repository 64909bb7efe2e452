package dev.ktstr.bench.boot;

import dev.ktstr.kvm.engine.EngineSelector;
import dev.ktstr.kvm.engine.KernelImage;
import dev.ktstr.kvm.initramfs.Initramfs;
import dev.ktstr.kvm.initramfs.PreparedInitramfs;
import dev.ktstr.kvm.qemu.QemuBinary;
import dev.ktstr.runtime.kernel.KernelProvisioner;
import dev.ktstr.runtime.kernel.ResolvedKernel;
import dev.ktstr.runtime.kernel.TerminalProgress;
import dev.ktstr.runtime.vm.GuestLauncher;
import dev.ktstr.runtime.vm.GuestVm;
import dev.ktstr.runtime.vm.KernelCmdline;
import dev.ktstr.topology.Topology;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Boot-to-init and boot-to-poweroff of the same kernel and initramfs, in one run, through
 * (a) the harness ({@link GuestLauncher}: initramfs from the cache, engine start, agent handshake,
 * power-off request, teardown) and (b) a bare {@code qemu-system-x86_64} command line a user would
 * type (same kernel, initrd and command line; the agent powers off as soon as it starts, via
 * {@code ktstr.bench_poweroff}). Runs alternate; medians are reported.
 *
 * <pre>java -cp 'ktstr-bench/target/classes:ktstr-bench/target/lib/*' dev.ktstr.bench.boot.BootBench [runs] [topology]</pre>
 */
public final class BootBench {

    private BootBench() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Topology t = Topology.parse(args.length > 1 ? args[1] : "1n1l2c1t");
        ResolvedKernel k = KernelProvisioner.ensureDefault(TerminalProgress.stderr());
        EngineSelector.Choice engine = EngineSelector.fromServiceLoader().choose();
        if (!engine.found() || !engine.engine().id().startsWith("qemu")) {
            System.out.println("BootBench compares against bare QEMU; engine here: " + engine.reason());
            return;
        }
        boolean kvm = engine.engine().id().equals("qemu-kvm");
        var req = new GuestLauncher.Request(t, 512, k, Optional.empty(), List.of(), Map.of(), List.of(),
                Duration.ofSeconds(120), Duration.ofSeconds(180), false, false);
        Path initrd = Files.createTempFile("ktstr-bench-initrd", ".img");
        try {
            PreparedInitramfs ir = Initramfs.system().prepare(
                    dev.ktstr.kvm.initramfs.BaseSpec.builder(dev.ktstr.runtime.agent.AgentBinary.path())
                            .busybox(GuestLauncher.BUSYBOX).build(),
                    dev.ktstr.kvm.initramfs.Suffix.builder().file("/ktstr/release", k.release()).build());
            Initramfs.concatenate(ir.parts(), initrd);
            String cmdline = KernelCmdline.build(Map.of(), List.of(), false);
            long[][] harness = new long[runs][];
            long[][] bare = new long[runs][];
            harnessRun(req, engine); // warm-up: fills the initramfs cache and the JIT
            bareRun(k.bootImage(), initrd, cmdline, t, kvm);
            for (int i = 0; i < runs; i++) {
                harness[i] = harnessRun(req, engine);
                bare[i] = bareRun(k.bootImage(), initrd, cmdline, t, kvm);
            }
            long hi = median(harness, 0);
            long ho = median(harness, 1);
            long bi = median(bare, 0);
            long bo = median(bare, 1);
            System.out.printf("boot of %s, %s, %d vCPUs, median of %d runs each (ms)%n", k.release(),
                    engine.engine().id(), t.totalCpus(), runs);
            System.out.printf("%-34s %12s %16s%n", "", "boot-to-init", "boot-to-poweroff");
            System.out.printf("%-34s %12d %16d%n", "(a) ktstr harness (GuestLauncher)", hi, ho);
            System.out.printf("%-34s %12d %16d%n", "(b) bare qemu-system-x86_64", bi, bo);
            System.out.printf("%-34s %+12d %+16d%n", "overhead (a)-(b)", hi - bi, ho - bo);
            System.out.printf("%-34s %11.1f%% %15.1f%%%n", "overhead relative to (b)", 100.0 * (hi - bi) / bi,
                    100.0 * (ho - bo) / bo);
        } finally {
            Files.deleteIfExists(initrd);
        }
    }

    /** {boot-to-init, boot-to-poweroff} in ms through the harness. */
    private static long[] harnessRun(GuestLauncher.Request req, EngineSelector.Choice engine) throws Exception {
        long t0 = System.nanoTime();
        GuestVm vm = GuestLauncher.launch(req, engine);
        long init = System.nanoTime();
        vm.shutdown(Duration.ofSeconds(30));
        vm.close();
        long off = System.nanoTime();
        return new long[] {(init - t0) / 1_000_000, (off - t0) / 1_000_000};
    }

    /** {boot-to-init, boot-to-poweroff} in ms of a bare QEMU with the same kernel, initrd and command line. */
    private static long[] bareRun(KernelImage kernel, Path initrd, String cmdline, Topology t, boolean kvm)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(QemuBinary.find().orElseThrow().path().toString(), "-M", "pc"));
        cmd.addAll(kvm ? List.of("-accel", "kvm", "-cpu", "host") : List.of("-accel", "tcg,thread=single"));
        cmd.addAll(List.of("-m", "512M", "-smp", "cpus=" + t.totalCpus() + ",sockets=" + t.llcs() + ",cores="
                + t.coresPerLlc() + ",threads=" + t.threadsPerCore(), "-kernel", kernel.path().toString(), "-initrd",
                initrd.toString(), "-append", cmdline + " console=ttyS0 ktstr.bench_poweroff", "-nodefaults",
                "-display", "none", "-no-reboot", "-serial", "stdio"));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        long init = -1;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (init < 0 && line.contains("KTSTR_AGENT_STARTED")) {
                    init = System.nanoTime();
                }
            }
        }
        p.waitFor();
        long off = System.nanoTime();
        if (init < 0) {
            throw new IllegalStateException("bare QEMU never reached the agent (exit " + p.exitValue() + ")");
        }
        return new long[] {(init - t0) / 1_000_000, (off - t0) / 1_000_000};
    }

    private static long median(long[][] runs, int col) {
        long[] v = Arrays.stream(runs).mapToLong(r -> r[col]).sorted().toArray();
        return v[v.length / 2];
    }
}

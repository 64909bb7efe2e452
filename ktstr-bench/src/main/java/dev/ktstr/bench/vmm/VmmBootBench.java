package dev.ktstr.bench.vmm;

import dev.ktstr.kvm.engine.KernelImage;
import dev.ktstr.kvm.engine.VmExit;
import dev.ktstr.kvm.engine.VmSpec;
import dev.ktstr.kvm.vmm.KvmMachine;
import dev.ktstr.topology.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Boots the VMM probe guest (built by ktstr-kvm's tests into {@code ktstr-kvm/target/probe}) in quick
 * mode, which powers off right after its first lines, and prints, side by side in one run:
 * <ul>
 *   <li>the own VMM, per entry path (bzImage 64-bit entry, PVH ELF) and vCPU count: time to create the
 *       VM (KVM objects, guest RAM, boot image, vCPU threads started), from there to the guest's first
 *       instruction (its first port write), from there to ACPI power-off seen by the host, and total;</li>
 *   <li>QEMU with KVM booting the same PVH ELF ({@code -M microvm} and {@code -M pc}), process start
 *       to exit, the guest ending with a triple fault ({@code -no-reboot}) since QEMU's power-off port
 *       differs.</li>
 * </ul>
 * Usage: {@code VmmBootBench [probe-dir] [iterations]}; medians and 90th percentiles in milliseconds.
 */
public final class VmmBootBench {

    private record Sample(double create, double firstInsn, double end, double total) {}

    private VmmBootBench() {}

    public static void main(String[] args) throws Exception {
        Path probes = Path.of(args.length > 0 ? args[0] : "ktstr-kvm/target/probe");
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        Path bz = probes.resolve("probe.bzImage");
        Path pvh = probes.resolve("probe.pvh.elf");
        if (!Files.exists(bz) || !Files.exists(pvh)) {
            System.err.println("probe guest not found in " + probes.toAbsolutePath()
                    + " (build it: mvn -pl ktstr-kvm -am verify)");
            System.exit(2);
        }
        if (!Files.exists(Path.of("/dev/kvm"))) {
            System.err.println("no /dev/kvm on this host");
            System.exit(2);
        }
        Path work = Files.createTempDirectory("ktstr-vmm-bench");
        System.out.printf("VMM probe boot, %d iterations each, milliseconds (median / p90)%n", n);
        System.out.printf("%-34s %6s  %15s %15s %15s %15s%n", "engine, image", "vCPUs", "create", "first insn",
                "end", "total");
        String[][] rows = {{"own VMM, bzImage 64-bit entry", "BZIMAGE", "1n1l1c1t"},
            {"own VMM, PVH ELF", "ELF_PVH", "1n1l1c1t"}, {"own VMM, bzImage 64-bit entry", "BZIMAGE", "1n2l1c2t"},
            {"own VMM, PVH ELF", "ELF_PVH", "1n2l1c2t"}, {"own VMM, PVH ELF", "ELF_PVH", "2n2l4c2t"}};
        for (String[] row : rows) {
            KernelImage.Format f = KernelImage.Format.valueOf(row[1]);
            Topology t = Topology.parse(row[2]);
            List<Sample> samples = new ArrayList<>();
            ownVmm(f == KernelImage.Format.BZIMAGE ? bz : pvh, f, t, work); // warm-up
            for (int i = 0; i < n; i++) {
                samples.add(ownVmm(f == KernelImage.Format.BZIMAGE ? bz : pvh, f, t, work));
            }
            System.out.printf("%-34s %6d  %15s %15s %15s %15s%n", row[0], t.totalCpus(),
                    stat(samples.stream().mapToDouble(Sample::create).toArray()),
                    stat(samples.stream().mapToDouble(Sample::firstInsn).toArray()),
                    stat(samples.stream().mapToDouble(Sample::end).toArray()),
                    stat(samples.stream().mapToDouble(Sample::total).toArray()));
        }
        for (String machine : List.of("microvm", "pc")) {
            double[] totals = new double[n];
            boolean ok = qemu(machine, pvh) >= 0;
            for (int i = 0; ok && i < n; i++) {
                totals[i] = qemu(machine, pvh);
                ok = totals[i] >= 0;
            }
            System.out.printf("%-34s %6d  %15s %15s %15s %15s%n", "qemu -M " + machine + " -accel kvm, PVH ELF", 1,
                    "-", "-", "-", ok ? stat(totals) : "unavailable");
        }
        Files.deleteIfExists(work);
    }

    private static Sample ownVmm(Path image, KernelImage.Format format, Topology topo, Path work) throws Exception {
        VmSpec spec = new VmSpec(topo, topo.distances(), Math.max(256, topo.totalCpus() * 64L),
                new KernelImage(image, format), List.of(), "probe.quick", 0, Duration.ofSeconds(60), work, false);
        long t0 = System.nanoTime();
        try (KvmMachine m = KvmMachine.start(spec)) {
            VmExit exit = m.exit().get(60, TimeUnit.SECONDS);
            long t1 = System.nanoTime();
            if (!(exit instanceof VmExit.PoweredOff)) {
                throw new IllegalStateException("probe did not power off: " + exit.summary());
            }
            KvmMachine.Timeline tl = m.timeline();
            return new Sample(ms(tl.startedNanos() - t0), ms(tl.firstExitNanos() - tl.startedNanos()),
                    ms(t1 - tl.firstExitNanos()), ms(t1 - t0));
        }
    }

    /** Wall time of one QEMU run in ms, or -1 when QEMU is missing or fails. */
    private static double qemu(String machine, Path pvh) throws InterruptedException {
        List<String> cmd = List.of("qemu-system-x86_64", "-accel", "kvm", "-M", machine, "-m", "256", "-smp", "1",
                "-kernel", pvh.toString(), "-append", "probe.quick probe.end=triple", "-nographic", "-no-reboot",
                "-nodefaults", "-serial", "null", "-monitor", "none");
        long t0 = System.nanoTime();
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue() == 0 ? ms(System.nanoTime() - t0) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static String stat(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return String.format("%6.1f / %6.1f", s[s.length / 2], s[Math.min(s.length - 1, (int) Math.ceil(0.9 * s.length) - 1)]);
    }
}

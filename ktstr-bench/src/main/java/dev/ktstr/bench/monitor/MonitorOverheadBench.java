package dev.ktstr.bench.monitor;

import dev.ktstr.kvm.introspect.IntrospectException;
import dev.ktstr.kvm.introspect.KernelView;
import dev.ktstr.kvm.introspect.RunqueueLayout;
import dev.ktstr.kvm.introspect.ScalarField;
import dev.ktstr.kvm.introspect.ScxEventLayout;
import dev.ktstr.kvm.introspect.SyntheticKernel;
import dev.ktstr.kvm.introspect.Vmlinux;
import dev.ktstr.runtime.monitor.Monitor;
import dev.ktstr.runtime.monitor.MonitorAttach;
import dev.ktstr.runtime.monitor.MonitorConfig;
import dev.ktstr.runtime.monitor.Sampler;
import dev.ktstr.runtime.monitor.VcpuTimes;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Host CPU cost of monitoring a 16-vCPU guest at the default 100 ms period (target: under 2 % of one
 * core). The guest is a {@link SyntheticKernel} image laid out with the real dev kernel's BTF (16
 * runqueues, a sched_ext root instance with per-CPU event counters): the same reads, translations and
 * decoding as on a live guest, minus the guest. Side by side in one run:
 * <ol>
 *   <li>the {@link Sampler} as shipped: one read of each runqueue's sampled span, one read of each
 *       CPU's event counters, vCPU times from a cheap supplier;</li>
 *   <li>the obvious alternative: one guest read per field;</li>
 *   <li>the shipped sampler with vCPU times read the way an engine must for QEMU, from
 *       {@code /proc/<pid>/task/<tid>/schedstat} of 16 threads;</li>
 *   <li>the whole {@link Monitor} thread at 100 ms for a while (sampling, evaluation, wake-ups),
 *       measured by the thread's own CPU time.</li>
 * </ol>
 * Run: {@code java -cp ktstr-bench/target/classes:ktstr-bench/target/lib/* dev.ktstr.bench.monitor.MonitorOverheadBench [vmlinux] [seconds]}
 */
public final class MonitorOverheadBench {

    private static final int CPUS = 16;
    private static final int WARMUP = 3000;
    private static final int MEASURED = 10000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private MonitorOverheadBench() {}

    public static void main(String[] args) throws Exception {
        Path vmlinuxPath = args.length > 0 ? Path.of(args[0])
                : dev.ktstr.runtime.kernel.KernelProvisioner.ensureDefault(
                        dev.ktstr.runtime.kernel.TerminalProgress.stderr()).vmlinux().orElseThrow();
        int monitorSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        if (!Files.isReadable(vmlinuxPath)) {
            System.err.println("MonitorOverheadBench: no vmlinux at " + vmlinuxPath + " (pass one as the first argument)");
            System.exit(2);
        }
        Vmlinux vmlinux = Vmlinux.open(vmlinuxPath);
        SyntheticKernel k = guest(vmlinux);
        KernelView view = k.attach();
        long[] fixed = new long[CPUS];
        VcpuTimes cheap = () -> fixed.clone();

        List<String[]> rows = new ArrayList<>();
        Sampler shipped = new Sampler(view, cheap);
        rows.add(row("Sampler: one span read per runqueue", perSampleNs(i -> shipped.sample(i, i))));
        FieldByField naive = new FieldByField(view);
        rows.add(row("one guest read per field", perSampleNs(i -> naive.sample())));
        try (ProcVcpuTimes proc = ProcVcpuTimes.start(CPUS)) {
            Sampler withProc = new Sampler(view, proc);
            rows.add(row("Sampler + vCPU times from /proc (16 threads)", perSampleNs(i -> withProc.sample(i, i))));
            rows.add(row("Monitor thread, 100 ms, " + monitorSeconds + " s (sampling+checks+wake-ups)",
                    monitorThreadNsPerSample(view, proc, monitorSeconds)));
        }

        System.out.printf(Locale.ROOT, "Monitor sampling cost, %d vCPUs, period 100 ms (10 samples/s), JVM %s%n", CPUS,
                System.getProperty("java.version"));
        System.out.printf(Locale.ROOT, "%-62s %14s %18s%n", "variant", "CPU µs/sample", "% of a core @100ms");
        for (String[] r : rows) {
            System.out.printf(Locale.ROOT, "%-62s %14s %18s%n", r[0], r[1], r[2]);
        }
    }

    private static String[] row(String name, double nsPerSample) {
        double pct = nsPerSample * 10 / 1e9 * 100;
        return new String[] {name, String.format(Locale.ROOT, "%.1f", nsPerSample / 1000),
            String.format(Locale.ROOT, "%.4f %%", pct)};
    }

    /** A 16-CPU guest image with busy runqueues and an attached scheduler. */
    private static SyntheticKernel guest(Vmlinux vmlinux) throws IntrospectException {
        SyntheticKernel k = SyntheticKernel.create(vmlinux.btf(), vmlinux.imageLayout(), CPUS, 64);
        long rq = k.definePerCpu("runqueues", k.sizeOf("rq"));
        long root = k.defineSymbol("scx_root", 8);
        long sched = k.allocDirect(k.sizeOf("scx_sched"));
        long pcpu = k.allocPerCpu(k.sizeOf("scx_sched_pcpu"));
        k.set(sched, "scx_sched", "pcpu", pcpu);
        k.writeU64(root, sched);
        for (int cpu = 0; cpu < CPUS; cpu++) {
            long a = k.perCpu(rq, cpu);
            k.set(a, "rq", "nr_running", 1 + cpu % 3);
            k.set(a, "rq", "clock", 1_000_000_000L * (cpu + 1));
            k.set(a, "rq", "scx.nr_running", 1 + cpu % 3);
            k.set(a, "rq", "scx.local_dsq.nr", cpu % 2);
            k.set(k.perCpu(pcpu, cpu), "scx_sched_pcpu", "event_stats.SCX_EV_SELECT_CPU_FALLBACK", cpu);
        }
        return k;
    }

    @FunctionalInterface
    private interface SampleOnce {
        void run(long i) throws IntrospectException;
    }

    /** CPU time of the calling thread per call of {@code s}, after a warm-up. */
    private static double perSampleNs(SampleOnce s) throws IntrospectException {
        for (int i = 0; i < WARMUP; i++) {
            s.run(i);
        }
        long t0 = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < MEASURED; i++) {
            s.run(i);
        }
        return (double) (THREADS.getCurrentThreadCpuTime() - t0) / MEASURED;
    }

    /** Runs the real monitor thread for {@code seconds} and divides its CPU time by its samples. */
    private static double monitorThreadNsPerSample(KernelView view, VcpuTimes vcpu, int seconds) throws Exception {
        MonitorAttach a = Monitor.attach(view, 250, MonitorConfig.defaults().withPeriod(Duration.ofMillis(100)), vcpu);
        if (!(a instanceof MonitorAttach.Ready ready)) {
            throw new IllegalStateException(((MonitorAttach.Disabled) a).line());
        }
        try (Monitor m = ready.monitor()) {
            m.start();
            Thread t = Thread.getAllStackTraces().keySet().stream().filter(x -> x.getName().equals("ktstr-monitor"))
                    .findFirst().orElseThrow();
            Thread.sleep(1000);
            long c0 = THREADS.getThreadCpuTime(t.getId());
            long n0 = m.summary(List.of()).samples();
            Thread.sleep(seconds * 1000L);
            long c1 = THREADS.getThreadCpuTime(t.getId());
            long n1 = m.summary(List.of()).samples();
            m.stop();
            return (double) (c1 - c0) / Math.max(1, n1 - n0);
        }
    }

    /** The alternative design: every sampled field is its own guest read. */
    private static final class FieldByField {
        private final KernelView view;
        private final RunqueueLayout rq;
        private final ScxEventLayout events;
        private final long runqueues;
        private final long root;

        FieldByField(KernelView view) throws IntrospectException {
            this.view = view;
            this.rq = RunqueueLayout.resolve(view.btf());
            this.events = ScxEventLayout.resolve(view.btf());
            this.runqueues = view.symbol("runqueues");
            this.root = view.symbol("scx_root");
        }

        long sample() throws IntrospectException {
            long acc = 0;
            long sched = view.u64(root);
            for (int cpu = 0; cpu < view.nrCpuIds(); cpu++) {
                long a = view.perCpu(runqueues, cpu);
                List<ScalarField> fs = new ArrayList<>(List.of(rq.nrRunning(), rq.clock()));
                rq.scx().ifPresent(s -> fs.addAll(List.of(s.nrRunning(), s.localDsqDepth(), s.flags())));
                rq.schedstat().ifPresent(s -> fs.addAll(List.of(s.runDelay(), s.pcount(), s.yldCount(),
                        s.schedCount(), s.schedGoidle(), s.ttwuCount(), s.ttwuLocal())));
                for (ScalarField f : fs) {
                    acc += f.read(view, a);
                }
                long stats = events.statsAddress(view, sched, cpu);
                for (ScxEventLayout.Counter c : events.counters()) {
                    acc += c.field().read(view, stats);
                }
            }
            return acc;
        }
    }

    /**
     * vCPU times as a QEMU engine reads them: the first field of {@code schedstat} of each vCPU thread.
     * Sixteen parked threads of this JVM stand in for QEMU's vCPU threads.
     */
    private static final class ProcVcpuTimes implements VcpuTimes, AutoCloseable {
        private final List<Thread> threads = new ArrayList<>();
        private final List<Path> files = new ArrayList<>();
        private final CountDownLatch stop = new CountDownLatch(1);

        static ProcVcpuTimes start(int n) throws IOException, InterruptedException {
            ProcVcpuTimes p = new ProcVcpuTimes();
            long pid = ProcessHandle.current().pid();
            List<Long> tids = java.util.Collections.synchronizedList(new ArrayList<>());
            CountDownLatch up = new CountDownLatch(n);
            for (int i = 0; i < n; i++) {
                Thread t = new Thread(() -> {
                    tids.add(gettid());
                    up.countDown();
                    try {
                        p.stop.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "fake-vcpu-" + i);
                t.setDaemon(true);
                t.start();
                p.threads.add(t);
            }
            up.await();
            for (long tid : tids) {
                p.files.add(Path.of("/proc", String.valueOf(pid), "task", String.valueOf(tid), "schedstat"));
            }
            return p;
        }

        private static long gettid() {
            try {
                return Long.parseLong(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
            } catch (IOException e) {
                throw new IllegalStateException("cannot read /proc/thread-self: " + e.getMessage(), e);
            }
        }

        @Override
        public long[] vcpuCpuTimeNs() {
            long[] out = new long[files.size()];
            for (int i = 0; i < out.length; i++) {
                try {
                    String s = Files.readString(files.get(i));
                    out[i] = Long.parseLong(s.substring(0, s.indexOf(' ')));
                } catch (IOException e) {
                    return new long[0];
                }
            }
            return out;
        }

        @Override
        public void close() {
            stop.countDown();
            boolean interrupted = false;
            for (Thread t : threads) {
                while (t.isAlive()) {
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

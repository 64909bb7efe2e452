package dev.ktstr.bench.initramfs;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.ktstr.kvm.engine.InitramfsPart;
import dev.ktstr.kvm.initramfs.BaseCache;
import dev.ktstr.kvm.initramfs.BasePlan;
import dev.ktstr.kvm.initramfs.BasePlanner;
import dev.ktstr.kvm.initramfs.BaseSpec;
import dev.ktstr.kvm.initramfs.CachedBase;
import dev.ktstr.kvm.initramfs.CowMapping;
import dev.ktstr.kvm.initramfs.Initramfs;
import dev.ktstr.kvm.initramfs.PreparedInitramfs;
import dev.ktstr.kvm.initramfs.Suffix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Per-VM initramfs preparation, side by side in one run:
 * <ol>
 *   <li><b>no cache</b>: plan, write the cpio archive and LZ4-compress the base for every VM (what
 *       a harness without a cache does; the planner's digests are warm, so this is the archive and
 *       compression cost alone);</li>
 *   <li><b>shm cache, this process</b>: plan (a {@code stat} per input) and take the base this
 *       process already holds in {@code /dev/shm};</li>
 *   <li><b>shm cache, another process</b>: a fresh cache handle each VM, so every VM opens, locks
 *       and verifies the segment another process built — what a second test JVM pays.</li>
 * </ol>
 * Each VM also gets a fresh suffix. A second table compares placing the compressed base in guest
 * RAM (a stand-in anonymous mapping): {@code read(2)} into it against
 * {@link CowMapping#mapPrivateFixed} of the segment.
 *
 * <p>Usage: {@code InitramfsBench [--vms N] [--init FILE] [--include NAME]...}; the defaults ({@code
 * /usr/bin/true} as init, Debian's static busybox with its applet links, {@code /usr/bin/perl}, and
 * their libraries) make a base of about 5 MB compressed (9 MB of cpio) on Debian 12. Segments use their own prefix and are removed at the end.
 */
public final class InitramfsBench {

    /** mmap/munmap for the guest-RAM stand-in. */
    interface Mem extends Library {
        Mem C = Native.load("c", Mem.class);

        Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

        int munmap(Pointer addr, long length);

        int mprotect(Pointer addr, long length, int prot);
    }

    private InitramfsBench() {}

    public static void main(String[] args) throws Exception {
        int vms = 50;
        Path init = Path.of("/usr/bin/true");
        List<String> includes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--vms" -> vms = Integer.parseInt(args[++i]);
                case "--init" -> init = Path.of(args[++i]);
                case "--include" -> includes.add(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: InitramfsBench [--vms N] [--init FILE] [--include NAME]...");
            }
        }
        if (includes.isEmpty()) {
            includes.add("/usr/bin/perl");
        }
        BaseSpec.Builder b = BaseSpec.builder(init);
        if (Files.isExecutable(Path.of("/bin/busybox"))) {
            b.busybox(Path.of("/bin/busybox"));
        }
        includes.forEach(b::include);
        BaseSpec spec = b.build();

        String prefix = "ktstr-bench-" + ProcessHandle.current().pid() + "-";
        BasePlanner planner = BasePlanner.system();
        BasePlan plan = planner.plan(spec);
        try (BaseCache cache = new BaseCache(BaseCache.DEFAULT_DIR, prefix, Duration.ofMinutes(5), null)) {
            Initramfs initramfs = new Initramfs(planner, cache);
            long t0 = System.nanoTime();
            CachedBase built = cache.obtain(plan);
            double firstBuildMs = (System.nanoTime() - t0) / 1e6;

            System.out.printf(Locale.ROOT, "initramfs base: %d members, %.2f MB cpio, %.2f MB LZ4 (%s); %d VMs per mode"
                    + " (after %d warm-up)%n", plan.entries().size(), plan.uncompressedSize() / 1e6, built.size() / 1e6,
                    plan.level(), vms, Math.max(3, vms / 10));
            System.out.printf(Locale.ROOT, "first build into /dev/shm (one-off per content): %.1f ms%n%n", firstBuildMs);

            int[] counter = {0};
            Row none = measure("no cache: plan + cpio + LZ4 per VM", vms, () -> {
                PreparedInitramfs p = initramfs.prepareUncached(spec, suffix(counter[0]++));
                sink(p.parts());
            });
            Row hit = measure("shm cache, this process", vms, () -> {
                PreparedInitramfs p = initramfs.prepare(spec, suffix(counter[0]++));
                sink(p.parts());
            });
            Row other = measure("shm cache, another process's segment", vms, () -> {
                try (BaseCache fresh = new BaseCache(BaseCache.DEFAULT_DIR, prefix, Duration.ofMinutes(1), null)) {
                    PreparedInitramfs p = new Initramfs(planner, fresh).prepare(spec, suffix(counter[0]++));
                    sink(p.parts());
                }
            });
            table("per-VM preparation (plan + base + suffix)", List.of(none, hit, other));
            System.out.printf(Locale.ROOT, "speed-up of the cache in this process: %.0fx%n%n", none.median() / hit.median());

            placement(built, vms);
        }
        try (Stream<Path> s = Files.list(BaseCache.DEFAULT_DIR)) {
            List<Path> left = s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
            if (!left.isEmpty()) {
                throw new IllegalStateException("segments left in /dev/shm: " + left);
            }
        }
    }

    /** What placing the base costs, in time and in memory private to the VM. */
    private record Placement(Row row, long privateKb) {}

    /** The ways the base can get into guest RAM; {@code at} is fresh, never-touched RAM. */
    @FunctionalInterface
    interface Place {
        void into(long at, ByteBuffer ram) throws Exception;
    }

    private static void placement(CachedBase base, int vms) throws Exception {
        Placement copy = place(base, vms, "read(2) the segment into guest RAM", (at, ram) -> {
            try (FileChannel ch = FileChannel.open(base.segment(), StandardOpenOption.READ)) {
                while (ram.hasRemaining()) {
                    if (ch.read(ram) < 0) {
                        throw new IOException(base.segment() + " is shorter than " + base.size() + " bytes");
                    }
                }
            }
        });
        Placement cow = place(base, vms, "mmap MAP_PRIVATE|MAP_FIXED|MAP_POPULATE (COW)",
                (at, ram) -> base.mapPrivateFixed(at));
        table(String.format(Locale.ROOT, "placing the %.2f MB base in fresh guest RAM", base.size() / 1e6),
                List.of(copy.row(), cow.row()));
        System.out.printf(Locale.ROOT, "  memory private to each VM right after placing: read(2) %d kB, COW map %d kB%n",
                copy.privateKb(), cow.privateKb());
    }

    private static Placement place(CachedBase base, int vms, String name, Place how) throws Exception {
        long page = CowMapping.pageSize();
        long region = (base.size() + page - 1) / page * page;
        int warm = Math.max(3, vms / 10);
        double[] ms = new double[vms];
        long privateKb = -1;
        for (int i = 0; i < warm + vms; i++) {
            // PROT_NONE guard pages on both sides keep the kernel from merging the RAM stand-in with
            // neighbouring anonymous memory, so its smaps entry describes it alone.
            Pointer all = Mem.C.mmap(null, region + 2 * page, 0 /* PROT_NONE */,
                    0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */, -1, 0);
            if (Pointer.nativeValue(all) == -1) {
                throw new IOException("mmap of " + region + " bytes of stand-in guest RAM failed");
            }
            try {
                Pointer ram = all.share(page);
                if (Mem.C.mprotect(ram, region, 3 /* PROT_READ|PROT_WRITE */) != 0) {
                    throw new IOException("mprotect of the guest RAM stand-in failed");
                }
                ByteBuffer view = ram.getByteBuffer(0, base.size());
                long t = System.nanoTime();
                how.into(Pointer.nativeValue(ram), view);
                if (i >= warm) {
                    ms[i - warm] = (System.nanoTime() - t) / 1e6;
                }
                if (i == warm + vms - 1) {
                    privateKb = anonymousKb(Pointer.nativeValue(ram));
                }
            } finally {
                Mem.C.munmap(all, region + 2 * page);
            }
        }
        return new Placement(new Row(name, ms), privateKb);
    }

    /** The {@code Anonymous:} figure of this process's mapping that starts at {@code start}. */
    private static long anonymousKb(long start) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/self/smaps"));
        String head = Long.toHexString(start) + "-";
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(head)) {
                for (int j = i + 1; j < lines.size(); j++) {
                    if (lines.get(j).startsWith("Anonymous:")) {
                        return Long.parseLong(lines.get(j).replaceAll("[^0-9]", ""));
                    }
                }
            }
        }
        throw new IOException("no smaps entry for the mapping at 0x" + Long.toHexString(start));
    }

    private static Suffix suffix(int run) {
        return Suffix.builder().file("/ktstr/args", "run --ktstr-test-fn bench_" + run + "\n").build();
    }

    private static volatile long sinkValue;

    private static void sink(List<InitramfsPart> parts) {
        sinkValue += parts.get(0).size() + parts.get(1).size();
    }

    /** A step of the benchmark. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    record Row(String name, double[] ms) {
        double median() {
            return pct(0.5);
        }

        double pct(double q) {
            double[] s = ms.clone();
            Arrays.sort(s);
            return s[Math.min(s.length - 1, (int) Math.round(q * (s.length - 1)))];
        }

        double mean() {
            return Arrays.stream(ms).average().orElse(Double.NaN);
        }
    }

    private static Row measure(String name, int n, Step step) throws Exception {
        for (int i = 0; i < Math.max(3, n / 10); i++) {
            step.run();
        }
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            step.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        return new Row(name, ms);
    }

    private static void table(String title, List<Row> rows) {
        System.out.println(title);
        System.out.printf(Locale.ROOT, "  %-42s %10s %10s %10s %10s%n", "mode", "median ms", "p90 ms", "mean ms", "max ms");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "  %-42s %10.3f %10.3f %10.3f %10.3f%n", r.name(), r.median(), r.pct(0.9),
                    r.mean(), r.pct(1.0));
        }
    }
}

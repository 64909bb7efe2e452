package dev.ktstr.runtime.sched.build;

import dev.ktstr.runtime.kernel.FeatureState;
import dev.ktstr.runtime.kernel.KernelMetadata;
import dev.ktstr.runtime.kernel.KernelSource;
import dev.ktstr.runtime.kernel.ResolvedKernel;
import dev.ktstr.runtime.kernel.testing.KernelFixtures;
import dev.ktstr.runtime.sched.BuildableScheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** A kernel with a tiny BTF-carrying vmlinux, and fetch/build steps that count their calls. */
public final class FakeKernel {

    public final AtomicInteger fetches = new AtomicInteger();
    public final AtomicInteger builds = new AtomicInteger();
    /** Binaries the fake build leaves out (as if they did not compile). */
    public final List<String> skip = new ArrayList<>();
    public final ResolvedKernel kernel;
    private final long buildMillis;

    public FakeKernel(Path dir, long buildMillis) throws IOException {
        this.buildMillis = buildMillis;
        Path vmlinux = dir.resolve("vmlinux");
        Files.createDirectories(dir);
        Files.write(vmlinux, KernelFixtures.elf(true, false));
        KernelMetadata m = new KernelMetadata(KernelMetadata.SCHEMA, "", "7.3.4+deb13-cloud-amd64", "7.3.4",
                "cloud-amd64", "x86_64", new KernelSource.DebianApt("trixie-backports", "img", "cfg", "7.3.4-1",
                        "00"), FeatureState.YES, FeatureState.YES, FeatureState.YES, 250, Map.of(), Instant.EPOCH);
        kernel = new ResolvedKernel(vmlinux, Optional.of(vmlinux), Optional.empty(), m.release(), Optional.empty(), m,
                ResolvedKernel.Origin.CACHE);
    }

    /** A cache under {@code root} whose steps are these fakes. */
    public SchedulerCache cache(Path root) {
        return new SchedulerCache(root, java.time.Clock.systemUTC(), this::fetch, this::build);
    }

    private LinuxSourceFetcher.Fetched fetch(String series, String suite, Path scratch,
            dev.ktstr.runtime.kernel.ProgressSink p) {
        fetches.incrementAndGet();
        try {
            Path tree = scratch.resolve("tree/linux-source-" + series);
            Files.createDirectories(tree.resolve("tools/sched_ext"));
            Files.writeString(tree.resolve("tools/sched_ext/Makefile"), "all:\n");
            return new LinuxSourceFetcher.Fetched("linux-source-" + series, "7.3.4-1~bpo13+1", "SHA256:00", tree);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private SchedulerBuilder.Result build(Path tree, Path vmlinux, Path work, Path out,
            dev.ktstr.runtime.kernel.ProgressSink p) {
        builds.incrementAndGet();
        try {
            Thread.sleep(buildMillis);
            Files.createDirectories(out.resolve("bin"));
            Files.createDirectories(out.resolve("tools"));
            List<String> built = new ArrayList<>();
            Map<String, String> failed = new java.util.LinkedHashMap<>();
            for (BuildableScheduler b : BuildableScheduler.values()) {
                if (skip.contains(b.binary())) {
                    failed.put(b.binary(), "did not compile: (fake)");
                    continue;
                }
                exec(out.resolve("bin").resolve(b.binary()));
                built.add(b.binary());
            }
            exec(out.resolve("tools/ktstr_progs"));
            return new SchedulerBuilder.Result(built, failed, List.of("ktstr_progs"), "clang (fake)", 0.1, 0.1);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void exec(Path p) throws IOException {
        Files.writeString(p, "#!/bin/sh\n# " + p.getFileName() + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}

package dev.ktstr.runtime.sched.build;

import dev.ktstr.runtime.kernel.ProgressSink;
import dev.ktstr.runtime.kernel.process.ProcessResult;
import dev.ktstr.runtime.kernel.process.ProcessRunner;
import dev.ktstr.runtime.sched.BuildableScheduler;
import dev.ktstr.runtime.sched.SchedulerException;
import dev.ktstr.runtime.sched.SchedulerException.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Builds the schedulers from a {@link SourceSubset} tree, the way environment.md measured it: the
 * kernel's own {@code tools/sched_ext} Makefile with clang 19 first on {@code PATH} (it builds its
 * libbpf and bpftool, generates {@code vmlinux.h} from the kernel's BTF, compiles each
 * {@code *.bpf.c} and its skeleton) with ktstr's fixture dropped into the same directory, then every
 * loader linked again statically ({@code gcc -static ... libbpf.a -lelf -lz -lzstd -lpthread}) so it
 * runs in the guest without shared libraries, and stripped. The tree is copied first: the cached
 * source subset is never modified.
 */
final class SchedulerBuilder {

    /** Where Debian 12's clang-19 package installs its unversioned tool names. */
    static final Path LLVM_BIN = Path.of("/usr/lib/llvm-19/bin");
    static final List<String> STATIC_LIBS = List.of("-lelf", "-lz", "-lzstd", "-lpthread");
    private static final Duration MAKE_TIMEOUT = Duration.ofMinutes(30);
    private static final Duration LINK_TIMEOUT = Duration.ofMinutes(5);

    /**
     * What a build produced.
     *
     * @param built        scheduler binaries written to {@code out/bin}, in {@link BuildableScheduler} order
     * @param failed       optional schedulers that did not build, with the reason
     * @param tools        tools written to {@code out/tools}
     * @param clangVersion {@code clang --version}'s first line
     * @param makeSeconds  the make step
     * @param linkSeconds  static relinking and stripping
     */
    record Result(List<String> built, Map<String, String> failed, List<String> tools, String clangVersion,
            double makeSeconds, double linkSeconds) {}

    private final ProgressSink progress;
    private final int jobs;

    SchedulerBuilder(ProgressSink progress, int jobs) {
        this.progress = progress;
        this.jobs = Math.max(1, jobs);
    }

    /** The host tools a build runs; throws naming the Debian packages when one is missing. */
    static void checkTools() throws SchedulerException {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(LLVM_BIN.resolve("clang"))) {
            missing.add(LLVM_BIN.resolve("clang") + " (clang-19 llvm-19 lld-19)");
        }
        for (String t : List.of("make", "gcc", "python3", "tar", "xz", "dpkg-deb")) {
            if (!ProcessRunner.onPath(t)) {
                missing.add(t);
            }
        }
        for (String lib : List.of("libelf.a", "libz.a", "libzstd.a")) {
            if (!Files.isRegularFile(Path.of("/usr/lib/x86_64-linux-gnu", lib))) {
                missing.add("/usr/lib/x86_64-linux-gnu/" + lib);
            }
        }
        if (!missing.isEmpty()) {
            throw new SchedulerException(Kind.TOOL_MISSING, "building sched_ext schedulers needs " + String.join(", ",
                    missing) + ": run scripts/setup-host.sh sched (clang-19 llvm-19 lld-19 libelf-dev zlib1g-dev "
                    + "libzstd-dev libssl-dev pkg-config python3 make gcc xz-utils)");
        }
    }

    /**
     * Builds every {@link BuildableScheduler} and the {@code ktstr_progs} tool.
     *
     * @param tree    the source subset's top directory ({@code linux-source-7.3})
     * @param vmlinux the kernel ELF whose BTF becomes {@code vmlinux.h}
     * @param work    an empty scratch directory (the caller deletes it)
     * @param out     the cache entry's staging directory: {@code bin/} and {@code tools/} are written
     */
    Result build(Path tree, Path vmlinux, Path work, Path out) throws SchedulerException {
        checkTools();
        Path src = work.resolve("src");
        Path obj = work.resolve("o");
        try {
            copyTree(tree, src);
            Files.createDirectories(obj);
            Files.createDirectories(out.resolve("bin"));
            Files.createDirectories(out.resolve("tools"));
        } catch (IOException e) {
            throw new SchedulerException(Kind.CACHE_IO, "cannot prepare the build directory " + work + ": " + e, e);
        }
        Path schedExt = src.resolve("tools/sched_ext");
        for (String f : BundledSources.FIXTURE) {
            BundledSources.copyTo(f, schedExt);
        }
        Map<String, String> env = Map.of("PATH", LLVM_BIN + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                "LC_ALL", "C");
        String clang = run(List.of(LLVM_BIN.resolve("clang").toString(), "--version"), null, env, LINK_TIMEOUT)
                .stdout().lines().findFirst().orElse("clang (unknown version)");

        List<String> targets = List.of(BuildableScheduler.values()).stream().map(BuildableScheduler::binary).toList();
        progress.stage("building " + String.join(", ", targets) + " with " + clang + " (make -j" + jobs + ")");
        long t0 = System.nanoTime();
        List<String> cmd = List.of("make", "-C", schedExt.toString(), "-k", "-j" + jobs, "O=" + obj,
                "VMLINUX_BTF=" + vmlinux.toAbsolutePath(), "c-sched-targets=" + String.join(" ", targets), "all");
        ProcessResult make = run(cmd, line -> {
            // The Makefile echoes each loader's (dynamic) link: one progress line per scheduler.
            String s = line.strip();
            int bin = s.indexOf("/build/bin/");
            if (s.startsWith("gcc -o ") && bin > 0) {
                progress.stage("  compiled " + s.substring(bin + 11, s.indexOf(' ', bin)));
            }
        }, env, MAKE_TIMEOUT);
        long t1 = System.nanoTime();

        Path build = obj.resolve("build");
        Path libbpf = build.resolve("obj/libbpf/libbpf.a");
        if (!Files.isRegularFile(libbpf)) {
            throw new SchedulerException(Kind.BUILD_FAILED, "make built no libbpf.a: "
                    + ProcessResult.tail(make.stdout(), 15));
        }
        List<String> built = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        for (BuildableScheduler s : BuildableScheduler.values()) {
            Path o = build.resolve("obj/sched_ext/" + s.binary() + ".o");
            if (!Files.isRegularFile(o)) {
                String why = "did not compile: " + ProcessResult.tail(grep(make.stdout(), s.binary()), 4);
                if (s.required()) {
                    throw new SchedulerException(Kind.BUILD_FAILED, s.binary() + " " + why + " (make: "
                            + ProcessResult.tail(make.stdout(), 10) + ")");
                }
                progress.warning(s.binary() + " " + why);
                failed.put(s.binary(), why);
                continue;
            }
            Path bin = out.resolve("bin").resolve(s.binary());
            List<String> link = new ArrayList<>(List.of("gcc", "-static", "-o", bin.toString(), o.toString(),
                    libbpf.toString()));
            link.addAll(STATIC_LIBS);
            link(link, bin, s.binary(), env);
            built.add(s.binary());
        }
        Path progsSrc = BundledSources.copyTo(BundledSources.PROGS, work);
        Path progs = out.resolve("tools/ktstr_progs");
        List<String> cc = new ArrayList<>(List.of("gcc", "-static", "-O2", "-Wall", "-Wextra", "-Werror",
                "-I" + build.resolve("include"), "-I" + src.resolve("tools/include"),
                "-I" + src.resolve("tools/include/uapi"), "-o", progs.toString(), progsSrc.toString(),
                libbpf.toString()));
        cc.addAll(STATIC_LIBS);
        link(cc, progs, "ktstr_progs", env);
        long t2 = System.nanoTime();
        return new Result(built, failed, List.of("ktstr_progs"), clang, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
    }

    private void link(List<String> cmd, Path bin, String name, Map<String, String> env) throws SchedulerException {
        ProcessResult r = run(cmd, null, env, LINK_TIMEOUT);
        if (!r.ok() || !Files.isRegularFile(bin)) {
            throw new SchedulerException(Kind.BUILD_FAILED, "static link of " + name + " failed: " + r.describeFailure()
                    + (r.stderr().contains("eu_search_tree") ? " (this libelf.a needs elfutils' internal libeu, as "
                            + "Debian 13's does; build on Debian 12)" : ""));
        }
        if (ProcessRunner.onPath("strip")) {
            ProcessResult s = run(List.of("strip", bin.toString()), null, env, LINK_TIMEOUT);
            if (!s.ok()) {
                throw new SchedulerException(Kind.BUILD_FAILED, "strip " + name + ": " + s.describeFailure());
            }
        }
    }

    private static String grep(String text, String word) {
        return String.join("\n", text.lines().filter(l -> l.contains(word) && (l.contains("rror") || l.contains("***")))
                .toList());
    }

    private static ProcessResult run(List<String> cmd, java.util.function.Consumer<String> lines,
            Map<String, String> env, Duration timeout) throws SchedulerException {
        ProcessRunner.Spec spec = ProcessRunner.Spec.of(timeout, cmd).withEnvironment(env);
        if (lines != null) {
            spec = spec.streaming(lines);
        }
        try {
            return ProcessRunner.run(spec);
        } catch (IOException e) {
            throw new SchedulerException(Kind.TOOL_MISSING, "cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchedulerException(Kind.BUILD_FAILED, "interrupted while running " + cmd.get(0), e);
        }
    }

    /** Copies a directory tree: directories, regular files and symbolic links (as links). */
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(t);
                } else {
                    // Links stay links: some point outside the subset (tools/include/linux/pci_ids.h).
                    Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
    }
}

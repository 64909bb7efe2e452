package dev.ktstr.runtime.kernel.build;

import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.KernelException.Kind;
import dev.ktstr.runtime.kernel.KernelSource;
import dev.ktstr.runtime.kernel.ProgressSink;
import dev.ktstr.runtime.kernel.cache.CacheEntry;
import dev.ktstr.runtime.kernel.cache.CacheKeys;
import dev.ktstr.runtime.kernel.cache.CorruptEntry;
import dev.ktstr.runtime.kernel.cache.EntryStager;
import dev.ktstr.runtime.kernel.cache.EntryStatus;
import dev.ktstr.runtime.kernel.cache.KernelCache;
import dev.ktstr.runtime.kernel.cache.KeyLock;
import dev.ktstr.runtime.kernel.image.KernelConfig;
import dev.ktstr.runtime.kernel.image.Sha256;
import dev.ktstr.runtime.kernel.process.ProcessResult;
import dev.ktstr.runtime.kernel.process.ProcessRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Builds a kernel from a source tree and caches it: {@code make defconfig} when the tree has no
 * {@code .config}, append {@code ktstr.kconfig} and the user's fragment, {@code make olddefconfig},
 * check that every required option survived, {@code make -jN bzImage}, then install the image, its
 * extracted vmlinux and the config as a cache entry keyed by the source identity and the final
 * config's hash. A build whose key is already cached is skipped; a dirty git tree is built but not
 * cached.
 */
public final class KernelBuilder {

    static final Duration CONFIG_TIMEOUT = Duration.ofMinutes(10);
    static final Duration BUILD_TIMEOUT = Duration.ofHours(12);

    private final KernelCache cache;
    private final ProgressSink progress;
    private final Consumer<String> makeOutput;
    private final Clock clock;

    /**
     * @param makeOutput receives every line make prints while building (the CLI shows them)
     */
    public KernelBuilder(KernelCache cache, ProgressSink progress, Consumer<String> makeOutput, Clock clock) {
        this.cache = cache;
        this.progress = progress;
        this.makeOutput = makeOutput;
        this.clock = clock;
    }

    /**
     * What to build.
     *
     * @param source   the kernel source tree
     * @param output   a separate build directory ({@code make O=…}), or empty to build in the tree
     * @param fragment the user's extra config fragment, applied after ktstr's
     * @param jobs     parallel make jobs
     * @param force    rebuild even when the key is cached
     */
    public record Request(Path source, Optional<Path> output, Optional<Path> fragment, int jobs, boolean force) {}

    /**
     * What a build produced.
     *
     * @param key       the cache key the build has (cached or not)
     * @param image     the bzImage in the tree
     * @param entry     the cache entry, absent when the tree was dirty
     * @param reused    true when a cached entry was returned without building
     * @param verdict   the config check (preferences that did not stick are listed there)
     */
    public record Result(String key, Path image, Optional<CacheEntry> entry, boolean reused,
            KconfigFragment.Verdict verdict) {}

    /** Configures, checks, builds and caches. */
    @SuppressWarnings("try")
    public Result build(Request req) throws KernelException {
        if (!ProcessRunner.onPath("make")) {
            throw new KernelException(Kind.TOOL_MISSING, "make is not on PATH (Debian package make)");
        }
        SourceTree tree = SourceTree.identify(req.source());
        KconfigFragment fragment = KconfigFragment.ktstr();
        if (req.fragment().isPresent()) {
            try {
                fragment = fragment.then(new KconfigFragment(Files.readString(req.fragment().get())));
            } catch (IOException e) {
                throw new KernelException(Kind.BUILD_FAILED, "cannot read config fragment " + req.fragment().get()
                        + ": " + e, e);
            }
        }
        Path out = req.output().map(o -> o.toAbsolutePath().normalize()).orElse(tree.dir());
        KconfigFragment.Verdict verdict = configure(tree.dir(), out, fragment);
        for (String p : verdict.preferences()) {
            progress.warning("config preference not kept: " + p);
        }
        Path dotConfig = out.resolve(".config");
        String configSha = sha(dotConfig);
        String kernelVersion = make(tree.dir(), out, CONFIG_TIMEOUT, false, "-s", "kernelversion").stdout().strip();
        String key = CacheKeys.localBuild(kernelVersion.isEmpty() ? "unknown" : kernelVersion, tree.identity(),
                "x86_64", configSha);
        Path image = out.resolve("arch/x86/boot/bzImage");
        if (tree.dirtyReason().isEmpty() && !req.force()) {
            Optional<EntryStatus> cached = cache.lookup(key, false);
            if (cached.isPresent() && cached.get() instanceof CacheEntry e) {
                progress.stage("kernel " + key + " is already cached; use --force to rebuild");
                return new Result(key, image, Optional.of(e), true, verdict);
            }
        }
        progress.stage("building bzImage in " + tree.dir() + " with " + req.jobs() + " jobs");
        make(tree.dir(), out, BUILD_TIMEOUT, true, "-j" + req.jobs(), "bzImage");
        if (!Files.isRegularFile(image)) {
            throw new KernelException(Kind.BUILD_FAILED, "make bzImage succeeded but " + image + " does not exist");
        }
        if (tree.dirtyReason().isPresent()) {
            progress.warning(tree.dir() + " is dirty (" + tree.dirtyReason().get() + "): built but not cached; "
                    + "boot it with KTSTR_KERNEL=" + out);
            return new Result(key, image, Optional.empty(), false, verdict);
        }
        String fragmentSha = Sha256.of(fragment.text());
        KernelSource source = new KernelSource.LocalBuild(tree.dir().toString(), tree.identity(), fragmentSha,
                configSha);
        try (KeyLock lock = cache.lock(key)) {
            cache.lookup(key, false).filter(CorruptEntry.class::isInstance).map(CorruptEntry.class::cast)
                    .ifPresent(c -> progress.warning("replacing corrupt cache entry " + key + ": " + c.reason()));
            CacheEntry entry = cache.install(key, staging -> EntryStager.stage(staging, new EntryStager.Input(key,
                    image, Optional.of(dotConfig), source, null, null), clock));
            progress.stage("cached " + entry.metadata().release() + " as " + key);
            return new Result(key, image, Optional.of(entry), false, verdict);
        }
    }

    /**
     * Brings the {@code .config} of build directory {@code out} (the tree itself, or a {@code make O=}
     * directory) to defconfig (if absent) plus {@code fragment}, runs olddefconfig and checks the result.
     *
     * @throws KernelException {@link Kind#CONFIG_REJECTED} listing every required option that was lost
     */
    public KconfigFragment.Verdict configure(Path source, Path out, KconfigFragment fragment) throws KernelException {
        Path dotConfig = out.resolve(".config");
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new KernelException(Kind.BUILD_FAILED, "cannot create build directory " + out + ": " + e, e);
        }
        if (!Files.isRegularFile(dotConfig)) {
            progress.stage("no .config in " + out + ": make defconfig");
            make(source, out, CONFIG_TIMEOUT, false, "defconfig");
        }
        try {
            String sep = Files.readString(dotConfig).endsWith("\n") ? "" : "\n";
            Files.writeString(dotConfig, sep + "# --- merged by ktstr kernel build ---\n" + fragment.text() + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new KernelException(Kind.BUILD_FAILED, "cannot append the config fragment to " + dotConfig + ": "
                    + e, e);
        }
        progress.stage("make olddefconfig");
        make(source, out, CONFIG_TIMEOUT, false, "olddefconfig");
        KernelConfig result;
        try {
            result = KernelConfig.read(dotConfig);
        } catch (IOException e) {
            throw new KernelException(Kind.BUILD_FAILED, "cannot read " + dotConfig + ": " + e, e);
        }
        KconfigFragment.Verdict v = fragment.check(result);
        if (!v.ok()) {
            throw new KernelException(Kind.CONFIG_REJECTED, v.missing().size() + " required option(s) did not survive "
                    + "make olddefconfig in " + out + ": " + String.join("; ", v.missing()));
        }
        return v;
    }

    private ProcessResult make(Path source, Path out, Duration timeout, boolean stream, String... args)
            throws KernelException {
        List<String> cmd = new ArrayList<>(List.of("make", "-C", source.toString()));
        if (!out.equals(source)) {
            cmd.add("O=" + out);
        }
        cmd.addAll(List.of(args));
        ProcessRunner.Spec spec = ProcessRunner.Spec.of(timeout, cmd);
        if (stream) {
            spec = spec.streaming(makeOutput);
        }
        ProcessResult r;
        try {
            r = ProcessRunner.run(spec);
        } catch (IOException e) {
            throw new KernelException(Kind.TOOL_MISSING, "cannot run make: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelException(Kind.BUILD_FAILED, "interrupted while running make", e);
        }
        if (!r.ok()) {
            throw new KernelException(Kind.BUILD_FAILED, r.describeFailure());
        }
        return r;
    }

    private static String sha(Path file) throws KernelException {
        try {
            return Sha256.ofFile(file);
        } catch (IOException e) {
            throw new KernelException(Kind.BUILD_FAILED, "cannot read " + file + ": " + e, e);
        }
    }
}

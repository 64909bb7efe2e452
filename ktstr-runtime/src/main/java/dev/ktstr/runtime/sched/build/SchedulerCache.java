package dev.ktstr.runtime.sched.build;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ktstr.runtime.kernel.KernelEnvironment;
import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.KernelSource;
import dev.ktstr.runtime.kernel.ProgressSink;
import dev.ktstr.runtime.kernel.ResolvedKernel;
import dev.ktstr.runtime.kernel.cache.KernelCache;
import dev.ktstr.runtime.kernel.cache.KeyLock;
import dev.ktstr.runtime.kernel.debian.KernelPackages;
import dev.ktstr.runtime.kernel.image.Sha256;
import dev.ktstr.runtime.sched.BuildableScheduler;
import dev.ktstr.runtime.sched.SchedulerException;
import dev.ktstr.runtime.sched.SchedulerException.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scheduler cache: {@code <ktstr cache>/schedulers/<source version>-<BTF sha12>-<bundled sha8>/}
 * (the last part is {@link BundledSources#digest()}, so builds of other fixture sources live side by
 * side) holds the
 * statically linked schedulers ({@code bin/}), ktstr's guest tools ({@code tools/}) and
 * {@code metadata.json} ({@link BuildMetadata}); {@code .src/<package>_<version>/} keeps the
 * extracted {@link SourceSubset} (5.8 MB) so a new kernel or an edited fixture rebuilds without
 * downloading the 167 MB source package again.
 *
 * <p>An entry is built in a private {@code .tmp-<pid>-…} directory and renamed into place, so
 * readers see a whole entry or none. Builders hold a lock per kernel BTF
 * ({@code .locks/build-<sha12>.lock}, {@link KeyLock}: one thread per JVM, one process per machine),
 * and re-check the cache once they hold it: concurrent test JVMs build once, the others wait and
 * then find the entry. Downloads hold {@code .locks/source-<package>.lock}. Leftovers of killed
 * builds (their pid is gone) are swept by the next build.
 */
public final class SchedulerCache {

    public static final String METADATA = "metadata.json";
    public static final String BIN = "bin";
    public static final String TOOLS = "tools";
    static final String SOURCES = ".src";
    static final String LOCKS = ".locks";
    static final String TMP = ".tmp-";
    static final String TRASH = ".trash-";
    private static final String SOURCE_JSON = "source.json";
    private static final Pattern SERIES = Pattern.compile("^(\\d+)\\.(\\d+)");
    private static final SecureRandom NONCES = new SecureRandom();

    /** Fetches and extracts a source package into a scratch directory ({@link LinuxSourceFetcher}). */
    @FunctionalInterface
    interface Fetch {
        LinuxSourceFetcher.Fetched fetch(String series, String suite, Path scratch, ProgressSink progress)
                throws SchedulerException;
    }

    /** Builds a source tree into a staging directory ({@link SchedulerBuilder}). */
    @FunctionalInterface
    interface Build {
        SchedulerBuilder.Result build(Path tree, Path vmlinux, Path work, Path out, ProgressSink progress)
                throws SchedulerException;
    }

    private final Path root;
    private final Clock clock;
    private final Fetch fetch;
    private final Build build;

    public SchedulerCache(Path root, KernelEnvironment env, Clock clock) {
        this(root, clock, (series, suite, scratch, progress) -> new LinuxSourceFetcher(env, progress)
                .fetch(series, suite, scratch), (tree, vmlinux, work, out, progress) -> new SchedulerBuilder(
                        progress, Runtime.getRuntime().availableProcessors()).build(tree, vmlinux, work, out));
    }

    /** A cache with other fetch and build steps (tests). */
    SchedulerCache(Path root, Clock clock, Fetch fetch, Build build) {
        this.root = root.toAbsolutePath().normalize();
        this.clock = clock;
        this.fetch = fetch;
        this.build = build;
    }

    /**
     * The cache of this machine: {@code schedulers/} beside the kernel cache
     * ({@code $KTSTR_CACHE_DIR}, {@code $XDG_CACHE_HOME/ktstr} or {@code ~/.cache/ktstr}).
     */
    public static SchedulerCache system() {
        KernelEnvironment env = KernelEnvironment.system();
        return new SchedulerCache(rootFor(env), env, Clock.systemUTC());
    }

    /** {@code schedulers/} under {@code env}'s cache root. */
    public static Path rootFor(KernelEnvironment env) {
        return env.cacheRoot().resolve("schedulers");
    }

    public Path root() {
        return root;
    }

    /**
     * A valid cache entry.
     *
     * @param dir      its directory
     * @param metadata its recorded facts
     */
    public record Entry(Path dir, BuildMetadata metadata) {

        public String key() {
            return metadata.key();
        }

        /** {@code bin/<name>} (which may not exist when {@code name} was not built). */
        public Path binary(String name) {
            return dir.resolve(BIN).resolve(name);
        }

        /** {@code tools/<name>}. */
        public Path tool(String name) {
            return dir.resolve(TOOLS).resolve(name);
        }

        /** Whether {@code name} was built into this entry. */
        public boolean has(String name) {
            return metadata.schedulers().stream().anyMatch(b -> b.name().equals(name));
        }
    }

    /** Every valid entry, newest first. Invalid directories are skipped (the next build replaces them). */
    public List<Entry> list() throws SchedulerException {
        List<Entry> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                if (!p.getFileName().toString().startsWith(".") && Files.isDirectory(p)) {
                    read(p).ifPresent(out::add);
                }
            }
        } catch (IOException e) {
            throw new SchedulerException(Kind.CACHE_IO, "cannot list the scheduler cache " + root + ": " + e, e);
        }
        out.sort(Comparator.comparing((Entry e) -> e.metadata().builtAt()).reversed());
        return out;
    }

    /** The newest valid entry built against this BTF with the current bundled sources. */
    public Optional<Entry> find(BtfKey btf) throws SchedulerException {
        String digest = BundledSources.digest();
        return list().stream()
                .filter(e -> e.metadata().btfSha256().equals(btf.sha256()))
                .filter(e -> e.metadata().bundledDigest().equals(digest))
                .findFirst();
    }

    /** The entry for {@code kernel}, built now if there is none (see {@link #build}). */
    public Entry ensureBuilt(ResolvedKernel kernel, ProgressSink progress) throws SchedulerException {
        return build(kernel, progress, false, false);
    }

    /**
     * Builds the schedulers for {@code kernel} unless a valid entry exists (or {@code force}).
     *
     * @param refreshSource ask apt for the newest source package even when one is cached
     * @throws SchedulerException {@link Kind#KERNEL_UNSUITABLE} without a vmlinux with BTF, or the
     *     fetch/build failure
     */
    @SuppressWarnings("try") // the lock is held, not used
    public Entry build(ResolvedKernel kernel, ProgressSink progress, boolean force, boolean refreshSource)
            throws SchedulerException {
        Path vmlinux = kernel.vmlinux().orElseThrow(() -> new SchedulerException(Kind.KERNEL_UNSUITABLE,
                "kernel " + kernel.describe() + " has no extracted vmlinux to generate vmlinux.h from"));
        BtfKey btf = BtfKey.of(vmlinux);
        if (!force) {
            Optional<Entry> e = find(btf);
            if (e.isPresent()) {
                return e.get();
            }
        }
        String series = series(kernel);
        try (CacheLock lock = lock("build-" + btf.shortId())) {
            if (!force) {
                Optional<Entry> e = find(btf);
                if (e.isPresent()) {
                    progress.stage("schedulers for " + kernel.release() + " were built meanwhile: " + e.get().dir());
                    return e.get();
                }
            }
            sweepLeftovers();
            SourceRef src = source(series, suite(kernel), refreshSource, progress);
            // The bundled sources' digest is part of the name: worktrees (or jars) with another fixture
            // keep their own entry instead of replacing this one under each other's running tests.
            String key = src.version() + "-" + btf.shortId() + "-" + BundledSources.digest().substring(0, 8);
            Path staging = root.resolve(TMP + ProcessHandle.current().pid() + "-" + nonce() + "-" + key);
            Path work = root.resolve(TMP + ProcessHandle.current().pid() + "-" + nonce() + "-work");
            try {
                Files.createDirectories(staging);
                Files.createDirectories(work);
                long t0 = System.nanoTime();
                SchedulerBuilder.Result r = build.build(src.tree(), vmlinux, work, staging, progress);
                double secs = (System.nanoTime() - t0) / 1e9;
                BuildMetadata m = new BuildMetadata(BuildMetadata.SCHEMA, key, src.packageName(), src.version(),
                        src.hash(), kernel.release(), btf.sha256(), BundledSources.digest(), r.clangVersion(),
                        facts(staging.resolve(BIN), r.built()), facts(staging.resolve(TOOLS), r.tools()), r.failed(),
                        Math.round(secs * 10) / 10.0, Instant.now(clock));
                Files.writeString(staging.resolve(METADATA), m.toJson(), StandardCharsets.UTF_8);
                install(staging, root.resolve(key));
                progress.stage(String.format(Locale.ROOT, "built %d schedulers for %s in %.0f s (make %.0f s, "
                        + "static link %.0f s): %s", r.built().size(), kernel.release(), secs, r.makeSeconds(),
                        r.linkSeconds(), root.resolve(key)));
                return read(root.resolve(key)).orElseThrow(() -> new SchedulerException(Kind.CACHE_IO,
                        "freshly built entry " + root.resolve(key) + " does not validate"));
            } catch (IOException e) {
                throw new SchedulerException(Kind.CACHE_IO, "cannot write the scheduler cache entry " + key + ": " + e,
                        e);
            } finally {
                deleteQuietly(work);
                deleteQuietly(staging);
            }
        }
    }

    /**
     * Deletes every entry built from other bundled sources than this runtime's (earlier or other
     * checkouts' fixture sources; every edit of {@code schedulers/} leaves one behind), or every entry
     * with {@code all}. Returns the keys removed.
     */
    public List<String> clean(boolean all) throws SchedulerException {
        String digest = BundledSources.digest();
        List<String> removed = new ArrayList<>();
        for (Entry e : list()) {
            if ((all || !e.metadata().bundledDigest().equals(digest)) && remove(e.key())) {
                removed.add(e.key());
            }
        }
        return removed;
    }

    /** Deletes the entry {@code key}; false when there is none. */
    public boolean remove(String key) throws SchedulerException {
        Path dir = root.resolve(key).normalize();
        if (!dir.getParent().equals(root) || key.startsWith(".") || !Files.isDirectory(dir)) {
            return false;
        }
        Path trash = root.resolve(TRASH + ProcessHandle.current().pid() + "-" + nonce() + "-" + key);
        try {
            Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new SchedulerException(Kind.CACHE_IO, "cannot remove " + dir + ": " + e, e);
        }
        delete(trash);
        return true;
    }

    /** The kernel series ({@code 7.3}) whose source package matches {@code kernel}. */
    static String series(ResolvedKernel kernel) throws SchedulerException {
        for (String v : List.of(String.valueOf(kernel.metadata().version()), kernel.release())) {
            Matcher m = SERIES.matcher(v);
            if (m.find()) {
                return m.group(1) + "." + m.group(2);
            }
        }
        throw new SchedulerException(Kind.KERNEL_UNSUITABLE, "cannot tell the version series of kernel "
                + kernel.describe());
    }

    /** The apt suite the kernel came from, else the default kernel suite. */
    static String suite(ResolvedKernel kernel) {
        return kernel.metadata().source() instanceof KernelSource.DebianApt d ? d.suite() : KernelPackages.DEFAULT_SUITE;
    }

    /** A source subset ready to build: cached, or fetched now. */
    record SourceRef(String packageName, String version, String hash, Path tree) {}

    /** {@code source.json} of a cached source subset. */
    record SourceRecord(String packageName, String version, String hash, String members, Instant extractedAt) {}

    @SuppressWarnings("try") // the lock is held, not used
    private SourceRef source(String series, String suite, boolean refresh, ProgressSink progress)
            throws SchedulerException {
        String pkg = LinuxSourceFetcher.packageName(series);
        if (!refresh) {
            Optional<SourceRef> cached = cachedSource(pkg);
            if (cached.isPresent()) {
                progress.stage("using cached sources " + cached.get().tree());
                return cached.get();
            }
        }
        try (CacheLock lock = lock("source-" + pkg)) {
            if (!refresh) {
                Optional<SourceRef> cached = cachedSource(pkg);
                if (cached.isPresent()) {
                    return cached.get();
                }
            }
            Path scratch = root.resolve(TMP + ProcessHandle.current().pid() + "-" + nonce() + "-" + pkg);
            try {
                Files.createDirectories(scratch);
                LinuxSourceFetcher.Fetched f = fetch.fetch(series, suite, scratch, progress);
                Path dir = root.resolve(SOURCES).resolve(pkg + "_" + f.version());
                Path stage = scratch.resolve("entry");
                Files.createDirectories(stage);
                Files.move(f.tree(), stage.resolve(pkg));
                SourceRecord rec = new SourceRecord(pkg, f.version(), f.debHash(),
                        String.join(" ", SourceSubset.MEMBERS), Instant.now(clock));
                Files.writeString(stage.resolve(SOURCE_JSON), BuildMetadata.json(rec), StandardCharsets.UTF_8);
                Files.createDirectories(dir.getParent());
                install(stage, dir);
                return new SourceRef(pkg, f.version(), f.debHash(), dir.resolve(pkg));
            } catch (IOException e) {
                throw new SchedulerException(Kind.CACHE_IO, "cannot store the sources of " + pkg + ": " + e, e);
            } finally {
                deleteQuietly(scratch);
            }
        }
    }

    /** The newest extracted subset of {@code pkg}. */
    Optional<SourceRef> cachedSource(String pkg) throws SchedulerException {
        Path dir = root.resolve(SOURCES);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        List<SourceRef> found = new ArrayList<>();
        List<Instant> when = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, pkg + "_*")) {
            for (Path p : ds) {
                Path json = p.resolve(SOURCE_JSON);
                Path tree = p.resolve(pkg);
                if (!Files.isRegularFile(json) || !Files.isRegularFile(tree.resolve("tools/sched_ext/Makefile"))) {
                    continue;
                }
                try {
                    SourceRecord r = BuildMetadata.parse(Files.readString(json), SourceRecord.class);
                    if (!r.members().equals(String.join(" ", SourceSubset.MEMBERS))) {
                        continue; // extracted with another member list: fetch again
                    }
                    found.add(new SourceRef(pkg, r.version(), r.hash(), tree));
                    when.add(r.extractedAt());
                } catch (JsonProcessingException e) {
                    continue; // unreadable: a refresh replaces it
                }
            }
        } catch (IOException e) {
            throw new SchedulerException(Kind.CACHE_IO, "cannot list " + dir + ": " + e, e);
        }
        int best = -1;
        for (int i = 0; i < found.size(); i++) {
            if (best < 0 || when.get(i).isAfter(when.get(best))) {
                best = i;
            }
        }
        return best < 0 ? Optional.empty() : Optional.of(found.get(best));
    }

    /** The entry in {@code dir} if its metadata parses and every recorded file has its recorded size. */
    static Optional<Entry> read(Path dir) {
        Path meta = dir.resolve(METADATA);
        if (!Files.isRegularFile(meta)) {
            return Optional.empty();
        }
        try {
            BuildMetadata m = BuildMetadata.fromJson(Files.readString(meta));
            if (m.schema() != BuildMetadata.SCHEMA || !m.key().equals(dir.getFileName().toString())) {
                return Optional.empty();
            }
            for (BuildMetadata.Binary b : m.schedulers()) {
                if (!matches(dir.resolve(BIN).resolve(b.name()), b)) {
                    return Optional.empty();
                }
            }
            for (BuildMetadata.Binary b : m.tools()) {
                if (!matches(dir.resolve(TOOLS).resolve(b.name()), b)) {
                    return Optional.empty();
                }
            }
            return Optional.of(new Entry(dir, m));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean matches(Path file, BuildMetadata.Binary b) throws IOException {
        return Files.isRegularFile(file) && Files.isExecutable(file) && Files.size(file) == b.size();
    }

    private static List<BuildMetadata.Binary> facts(Path dir, List<String> names) throws IOException {
        List<BuildMetadata.Binary> out = new ArrayList<>();
        for (String n : names) {
            Path f = dir.resolve(n);
            out.add(new BuildMetadata.Binary(n, Files.size(f), Sha256.ofFile(f)));
        }
        return out;
    }

    /** Renames {@code staging} to {@code target}, replacing what was there. */
    private void install(Path staging, Path target) throws IOException, SchedulerException {
        Path trash = null;
        if (Files.exists(target)) {
            trash = root.resolve(TRASH + ProcessHandle.current().pid() + "-" + nonce() + "-"
                    + target.getFileName());
            Files.move(target, trash, StandardCopyOption.ATOMIC_MOVE);
        }
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the cache's file system cannot rename atomically: " + e.getMessage(), e);
        }
        if (trash != null) {
            delete(trash);
        }
    }

    private CacheLock lock(String name) throws SchedulerException {
        try {
            return new CacheLock(KeyLock.acquire(root.resolve(LOCKS), name), name);
        } catch (KernelException e) {
            throw new SchedulerException(Kind.CACHE_IO, "cannot lock " + name + " in " + root + ": " + e.getMessage(), e);
        }
    }

    /** A {@link KeyLock} whose release failure is a {@link SchedulerException}. */
    private record CacheLock(KeyLock lock, String name) implements AutoCloseable {
        @Override
        public void close() throws SchedulerException {
            try {
                lock.close();
            } catch (KernelException e) {
                throw new SchedulerException(Kind.CACHE_IO, "cannot release lock " + name + ": " + e.getMessage(), e);
            }
        }
    }

    /** Deletes staging and trash directories of processes that are gone. */
    void sweepLeftovers() throws SchedulerException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                String rest = n.startsWith(TMP) ? n.substring(TMP.length())
                        : n.startsWith(TRASH) ? n.substring(TRASH.length()) : null;
                if (rest == null) {
                    continue;
                }
                int dash = rest.indexOf('-');
                long pid = -1;
                try {
                    pid = dash > 0 ? Long.parseLong(rest.substring(0, dash)) : -1;
                } catch (NumberFormatException e) {
                    pid = -1;
                }
                if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                delete(p);
            }
        } catch (IOException e) {
            throw new SchedulerException(Kind.CACHE_IO, "cannot sweep " + root + ": " + e, e);
        }
    }

    private static void delete(Path dir) throws SchedulerException {
        try {
            KernelCache.deleteTree(dir);
        } catch (KernelException e) {
            throw new SchedulerException(Kind.CACHE_IO, e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            KernelCache.deleteTree(dir);
        } catch (KernelException e) {
            // Left for sweepLeftovers(): its pid is ours, so it is swept once this process is gone.
            return;
        }
    }

    private static String nonce() {
        byte[] b = new byte[4];
        NONCES.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}

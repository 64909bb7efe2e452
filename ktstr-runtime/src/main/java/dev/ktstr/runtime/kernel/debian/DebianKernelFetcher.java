package dev.ktstr.runtime.kernel.debian;

import dev.ktstr.runtime.kernel.FeatureState;
import dev.ktstr.runtime.kernel.KernelEnvironment;
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
import dev.ktstr.runtime.kernel.process.ProcessResult;
import dev.ktstr.runtime.kernel.process.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Fetches a sched_ext-capable Debian kernel into the cache: private apt session on the machine's own
 * mirror, pick the newest image package matching the request, download the image and config packages
 * (verified against the signed index), unpack them with {@code dpkg-deb}, extract the vmlinux and
 * install the entry atomically under the key's lock. A second process asking for the same kernel at
 * the same time waits on the lock and then finds the entry: the download happens once.
 */
public final class DebianKernelFetcher {

    private static final Duration UNPACK_TIMEOUT = Duration.ofMinutes(5);
    private static final SecureRandom NONCES = new SecureRandom();

    private final KernelEnvironment env;
    private final KernelCache cache;
    private final ProgressSink progress;
    private final Clock clock;

    public DebianKernelFetcher(KernelEnvironment env, KernelCache cache, ProgressSink progress, Clock clock) {
        this.env = env;
        this.cache = cache;
        this.progress = progress;
        this.clock = clock;
    }

    /**
     * What to fetch.
     *
     * @param version a full ABI version ({@code 7.3.4+deb13}), a numeric prefix ({@code 7.2}), or empty
     *                for the newest of {@link KernelPackages#DEFAULT_SERIES}
     * @param flavour {@link KernelPackages#DEFAULT_FLAVOUR} unless asked otherwise
     * @param suite   {@link KernelPackages#DEFAULT_SUITE} unless asked otherwise
     * @param force   fetch again even when a valid entry exists
     */
    public record Request(Optional<String> version, String flavour, String suite, boolean force) {

        public static Request defaults() {
            return new Request(Optional.empty(), KernelPackages.DEFAULT_FLAVOUR, KernelPackages.DEFAULT_SUITE, false);
        }

        /** The version spec applied to the package list. */
        public String spec() {
            return version.orElse(KernelPackages.DEFAULT_SERIES);
        }
    }

    /** Every kernel of the request's flavour in its suite, newest first (one {@code apt-get update}). */
    public List<KernelPackages> available(Request req) throws KernelException {
        try (AptSession apt = openSession(req)) {
            return available(apt, req);
        }
    }

    /** Fetches the newest kernel matching {@code req}, or returns the valid entry already cached. */
    @SuppressWarnings("try")
    public CacheEntry fetch(Request req) throws KernelException {
        int swept = cache.sweepLeftovers();
        if (swept > 0) {
            progress.warning("removed " + swept + " leftover staging director" + (swept == 1 ? "y" : "ies")
                    + " of killed runs from " + cache.root());
        }
        try (AptSession apt = openSession(req)) {
            List<KernelPackages> candidates = available(apt, req).stream()
                    .filter(p -> p.version().matches(req.spec())).toList();
            if (candidates.isEmpty()) {
                throw new KernelException(Kind.FETCH_FAILED, "no " + req.flavour() + " kernel matching '" + req.spec()
                        + "' in " + req.suite() + "; available: " + String.join(", ",
                                available(apt, req).stream().map(p -> p.version().text()).toList()));
            }
            KernelPackages pkgs = candidates.get(0);
            List<DebDownload> downloads = apt.printUris(List.of(pkgs.imagePackage(), pkgs.configPackage()));
            DebDownload image = find(downloads, pkgs.imagePackage());
            DebDownload config = find(downloads, pkgs.configPackage());
            String key = CacheKeys.debian(pkgs.release(), image.packageVersion());
            try (KeyLock lock = cache.lock(key)) {
                Optional<EntryStatus> existing = cache.lookup(key, false);
                if (existing.isPresent() && existing.get() instanceof CacheEntry e && !req.force()) {
                    progress.stage("kernel " + pkgs.release() + " is already cached as " + key);
                    return e;
                }
                if (existing.isPresent() && existing.get() instanceof CorruptEntry c) {
                    progress.warning("replacing corrupt cache entry " + key + ": " + c.reason());
                }
                long t0 = System.nanoTime();
                Path imageDeb = download(apt, image);
                Path configDeb = download(apt, config);
                long t1 = System.nanoTime();
                Path root = apt.directory().resolve("root");
                unpack(imageDeb, root);
                unpack(configDeb, root);
                Path modules = root.resolve("usr/lib/modules").resolve(pkgs.release());
                Path vmlinuz = firstExisting(modules.resolve("vmlinuz.unsigned"), modules.resolve("vmlinuz"),
                        root.resolve("boot/vmlinuz-" + pkgs.release()))
                        .orElseThrow(() -> new KernelException(Kind.FETCH_FAILED, imageDeb.getFileName()
                                + " holds no vmlinuz for " + pkgs.release()));
                Path cfg = firstExisting(modules.resolve("config"), root.resolve("boot/config-" + pkgs.release()))
                        .orElseThrow(() -> new KernelException(Kind.FETCH_FAILED, configDeb.getFileName()
                                + " holds no config for " + pkgs.release()));
                progress.stage("extracting vmlinux from " + pkgs.release());
                KernelSource source = new KernelSource.DebianApt(req.suite(), pkgs.imagePackage(),
                        pkgs.configPackage(), image.packageVersion(), image.hash());
                CacheEntry entry = cache.install(key, staging -> EntryStager.stage(staging, new EntryStager.Input(key,
                        vmlinuz, Optional.of(cfg), source, pkgs.flavour(), pkgs.release()), clock));
                long t2 = System.nanoTime();
                progress.stage(String.format(Locale.ROOT, "cached %s in %s (download %.1f s, unpack+extract %.1f s)",
                        pkgs.release(), entry.dir(), (t1 - t0) / 1e9, (t2 - t1) / 1e9));
                warnIfLacking(entry);
                return entry;
            }
        }
    }

    private AptSession openSession(Request req) throws KernelException {
        DebianMirror mirror = DebianMirror.fromMachine(env);
        progress.stage("using Debian mirror " + mirror.uri() + " (from " + mirror.origin() + "), suite "
                + req.suite());
        byte[] nonce = new byte[4];
        NONCES.nextBytes(nonce);
        Path scratch = cache.root().resolve(".tmp-" + ProcessHandle.current().pid() + "-"
                + HexFormat.of().formatHex(nonce) + "-apt");
        AptSession apt = AptSession.open(scratch, mirror, req.suite(), AptSession.DEBIAN_KEYRING);
        try {
            progress.stage("updating the package index of " + req.suite());
            apt.update();
            return apt;
        } catch (KernelException e) {
            try {
                apt.close();
            } catch (KernelException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static List<KernelPackages> available(AptSession apt, Request req) throws KernelException {
        return apt.searchNames(KernelPackages.searchPattern(req.flavour())).stream()
                .flatMap(n -> KernelPackages.versionOf(n, req.flavour()).stream())
                .distinct()
                .sorted(Comparator.reverseOrder())
                .map(v -> new KernelPackages(v, req.flavour()))
                .toList();
    }

    private Path download(AptSession apt, DebDownload d) throws KernelException {
        Path dir = apt.directory().resolve("archives");
        if (DebDownloader.canFetch(d.uri())) {
            return DebDownloader.create(apt.httpProxy()).download(d, dir, progress);
        }
        progress.stage("downloading " + d.fileName() + " with apt (" + d.uri().getScheme() + " source)");
        apt.downloadWithApt(List.of(d.packageName()), dir);
        Path file = dir.resolve(d.fileName());
        DebDownloader.verify(d, file);
        return file;
    }

    private static void unpack(Path deb, Path into) throws KernelException {
        ProcessResult r = AptSession.run(ProcessRunner.Spec.of(UNPACK_TIMEOUT,
                List.of("dpkg-deb", "-x", deb.toString(), into.toString())));
        if (!r.ok()) {
            throw new KernelException(Kind.FETCH_FAILED, "cannot unpack " + deb.getFileName() + ": "
                    + r.describeFailure());
        }
    }

    private static DebDownload find(List<DebDownload> downloads, String pkg) throws KernelException {
        return downloads.stream().filter(d -> d.packageName().equals(pkg)).findFirst()
                .orElseThrow(() -> new KernelException(Kind.FETCH_FAILED, "apt printed no download for " + pkg));
    }

    private static Optional<Path> firstExisting(Path... candidates) {
        return Stream.of(candidates).filter(Files::isRegularFile).findFirst();
    }

    private void warnIfLacking(CacheEntry e) {
        var m = e.metadata();
        if (m.schedExt() != FeatureState.YES || m.btf() != FeatureState.YES) {
            progress.warning(m.release() + " lacks " + (m.schedExt() != FeatureState.YES ? "sched_ext " : "")
                    + (m.btf() != FeatureState.YES ? "BTF" : "") + ": sched_ext schedulers cannot run on it");
        }
    }
}

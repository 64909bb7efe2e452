package dev.ktstr.runtime.kernel;

import dev.ktstr.kvm.elf.ElfFile;
import dev.ktstr.runtime.kernel.KernelException.Kind;
import dev.ktstr.runtime.kernel.cache.CacheEntry;
import dev.ktstr.runtime.kernel.cache.CacheKeys;
import dev.ktstr.runtime.kernel.cache.CorruptEntry;
import dev.ktstr.runtime.kernel.cache.EntryStager;
import dev.ktstr.runtime.kernel.cache.EntryStatus;
import dev.ktstr.runtime.kernel.cache.KernelCache;
import dev.ktstr.runtime.kernel.cache.KeyLock;
import dev.ktstr.runtime.kernel.debian.DebianKernelVersion;
import dev.ktstr.runtime.kernel.image.BzImage;
import dev.ktstr.runtime.kernel.image.KernelConfig;
import dev.ktstr.runtime.kernel.image.Sha256;
import dev.ktstr.runtime.kernel.image.VmlinuxFacts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the kernel a test boots, in this order:
 * <ol>
 *   <li>{@code KTSTR_KERNEL}: a path (a bzImage, which is imported into the cache to get its vmlinux;
 *       a vmlinux ELF with a PVH note, used in place; a kernel build directory, whose
 *       {@code arch/x86/boot/bzImage} is imported), else a cache key, else a version ({@code 7.3.4+deb13},
 *       {@code 7.2}) of a cached kernel. If it names nothing, that is an error: no silent fallback;
 *   <li>the newest valid cache entry (corrupt ones are reported and skipped);
 *   <li>the host's {@code /boot/vmlinuz-$(uname -r)}, if readable and a bzImage; its BTF and PVH facts
 *       are unknown.
 * </ol>
 * When nothing is found the error says which command fetches a kernel.
 */
public final class KernelResolver {

    /** The command that fetches the default kernel, quoted in every "not found" message. */
    public static final String FETCH_HINT = "./ktstr kernel fetch";

    private final KernelEnvironment env;
    private final KernelCache cache;
    private final ProgressSink progress;
    private final Clock clock;

    public KernelResolver(KernelEnvironment env, KernelCache cache, ProgressSink progress, Clock clock) {
        this.env = env;
        this.cache = cache;
        this.progress = progress;
        this.clock = clock;
    }

    /** The kernel cache this resolver reads. */
    public KernelCache cache() {
        return cache;
    }

    /**
     * Runs the whole discovery order.
     *
     * @throws KernelException {@link Kind#NOT_FOUND} with the fetch command when nothing is usable,
     *     or the error of a {@code KTSTR_KERNEL} that names something bad
     */
    public ResolvedKernel resolve() throws KernelException {
        Optional<ResolvedKernel> k = fromEnvironment();
        if (k.isPresent()) {
            return k.get();
        }
        k = fromCache();
        if (k.isPresent()) {
            return k.get();
        }
        List<String> why = new ArrayList<>();
        k = fromHostBoot(why);
        if (k.isPresent()) {
            return k.get();
        }
        throw notFound(why);
    }

    /** The {@link KernelException} that says nothing was found, and how to fetch a kernel. */
    KernelException notFound(List<String> hostBootReasons) {
        return new KernelException(Kind.NOT_FOUND, "no kernel found: " + KernelEnvironment.KTSTR_KERNEL
                + " is not set, the kernel cache " + cache.root() + " has no valid entry, and "
                + String.join("; ", hostBootReasons) + ". Fetch the default kernel with '" + FETCH_HINT
                + "' (or set " + KernelEnvironment.KTSTR_KERNEL + " to a bzImage)");
    }

    /** Step 1: what {@code KTSTR_KERNEL} names, or empty when it is unset. */
    public Optional<ResolvedKernel> fromEnvironment() throws KernelException {
        Optional<String> spec = env.get(KernelEnvironment.KTSTR_KERNEL);
        if (spec.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(resolveSpec(spec.get(), ResolvedKernel.Origin.ENVIRONMENT));
    }

    /** A path, cache key or version, as {@code KTSTR_KERNEL} accepts them. */
    public ResolvedKernel resolveSpec(String spec, ResolvedKernel.Origin origin) throws KernelException {
        Path asPath = Path.of(spec.startsWith("~/") ? env.home() + spec.substring(1) : spec);
        if (spec.contains("/") || Files.exists(asPath)) {
            return fromPath(asPath.toAbsolutePath().normalize(), origin);
        }
        if (CacheKeys.isValid(spec)) {
            Optional<EntryStatus> byKey = cache.lookup(spec, false);
            if (byKey.isPresent()) {
                return fromEntry(requireValid(byKey.get()), origin);
            }
        }
        Optional<CacheEntry> byVersion = newestMatching(spec);
        if (byVersion.isPresent()) {
            return fromEntry(byVersion.get(), origin);
        }
        throw new KernelException(Kind.NOT_FOUND, KernelEnvironment.KTSTR_KERNEL + "='" + spec
                + "' is not a file, a cache key or the version of a cached kernel in " + cache.root()
                + "; fetch it with '" + FETCH_HINT + " " + spec + "' or list cached kernels with './ktstr kernel list'");
    }

    /** Step 2: the newest valid cache entry, reporting corrupt ones. */
    public Optional<ResolvedKernel> fromCache() throws KernelException {
        for (EntryStatus s : cache.list(false)) {
            if (s instanceof CorruptEntry c) {
                progress.warning("skipping corrupt kernel cache entry " + c.key() + ": " + c.reason()
                        + " (remove it with './ktstr kernel clean --corrupt-only')");
            }
        }
        List<CacheEntry> valid = cache.validEntries();
        return valid.isEmpty() ? Optional.empty() : Optional.of(fromEntry(valid.get(0), ResolvedKernel.Origin.CACHE));
    }

    /**
     * Step 3: the running kernel's image in {@code /boot}, if it is a readable bzImage.
     *
     * @param whyNot receives the reason when it is not usable
     */
    public Optional<ResolvedKernel> fromHostBoot(List<String> whyNot) {
        if (env.hostRelease().isEmpty()) {
            whyNot.add("the host kernel release is unknown");
            return Optional.empty();
        }
        Path image = env.boot().resolve("vmlinuz-" + env.hostRelease());
        if (!Files.isRegularFile(image)) {
            whyNot.add(image + " does not exist");
            return Optional.empty();
        }
        if (!Files.isReadable(image)) {
            whyNot.add(image + " is not readable by this user");
            return Optional.empty();
        }
        try {
            byte[] bytes = Files.readAllBytes(image);
            BzImage h = BzImage.parse(image.toString(), bytes);
            Path config = env.boot().resolve("config-" + env.hostRelease());
            Optional<Path> cfg = Files.isReadable(config) ? Optional.of(config) : Optional.empty();
            FeatureState schedExt = FeatureState.UNKNOWN;
            Integer hz = null;
            if (cfg.isPresent()) {
                KernelConfig kc = KernelConfig.read(config);
                schedExt = FeatureState.of(kc.hasSchedExt());
                hz = kc.hz().isPresent() ? kc.hz().getAsInt() : null;
            }
            String release = h.release().isEmpty() ? env.hostRelease() : h.release();
            KernelMetadata m = new KernelMetadata(KernelMetadata.SCHEMA, "", release, upstream(release), null,
                    "x86_64", new KernelSource.PathImport(image.toString()), FeatureState.UNKNOWN,
                    FeatureState.UNKNOWN, schedExt, hz,
                    Map.of(KernelCache.IMAGE, new FileFacts(bytes.length, Sha256.of(bytes))), clock.instant());
            progress.warning("using the host kernel " + image + " (BTF and sched_ext support unknown); '"
                    + FETCH_HINT + "' provides a kernel with both");
            return Optional.of(new ResolvedKernel(image, Optional.empty(), cfg, release, Optional.empty(), m,
                    ResolvedKernel.Origin.HOST_BOOT));
        } catch (KernelException e) {
            whyNot.add(image + " is not usable: " + e.getMessage());
            return Optional.empty();
        } catch (IOException e) {
            whyNot.add(image + " cannot be read: " + e);
            return Optional.empty();
        }
    }

    /** The newest valid entry whose release or version matches {@code spec}. */
    private Optional<CacheEntry> newestMatching(String spec) throws KernelException {
        Comparator<CacheEntry> byVersion = Comparator.comparing(
                (CacheEntry e) -> DebianKernelVersion.parse(e.metadata().version()).orElse(null),
                Comparator.nullsFirst(Comparator.naturalOrder()));
        return cache.validEntries().stream()
                .filter(e -> matchesVersion(e.metadata(), spec))
                .max(byVersion.thenComparing(e -> e.metadata().cachedAt()));
    }

    static boolean matchesVersion(KernelMetadata m, String spec) {
        if (m.release().equals(spec) || m.release().startsWith(spec + "-")) {
            return true;
        }
        return DebianKernelVersion.parse(m.version()).map(v -> v.matches(spec)).orElse(false);
    }

    private ResolvedKernel fromPath(Path path, ResolvedKernel.Origin origin) throws KernelException {
        if (Files.isDirectory(path)) {
            Path image = path.resolve("arch/x86/boot/bzImage");
            if (!Files.isRegularFile(image)) {
                throw new KernelException(Kind.NOT_FOUND, path + " is a directory without arch/x86/boot/bzImage "
                        + "(not a built kernel tree)");
            }
            Path dotConfig = path.resolve(".config");
            return importImage(image, Files.isRegularFile(dotConfig) ? Optional.of(dotConfig) : Optional.empty(),
                    origin);
        }
        if (!Files.isRegularFile(path)) {
            throw new KernelException(Kind.NOT_FOUND, KernelEnvironment.KTSTR_KERNEL + " names " + path
                    + ", which does not exist");
        }
        byte[] head = head(path, 0x210);
        if (ElfFile.looksLikeElf(ByteBuffer.wrap(head))) {
            return fromVmlinux(path, origin);
        }
        if (!BzImage.looksLikeBzImage(head)) {
            throw new KernelException(Kind.BAD_IMAGE, path + " is neither a bzImage nor a vmlinux ELF");
        }
        return importImage(path, siblingConfig(path), origin);
    }

    /** {@code config-<release>} beside {@code vmlinuz-<release>}, as Debian's /boot has it. */
    private static Optional<Path> siblingConfig(Path image) {
        String name = image.getFileName().toString();
        if (name.startsWith("vmlinuz-") && image.getParent() != null) {
            Path c = image.getParent().resolve("config-" + name.substring("vmlinuz-".length()));
            if (Files.isRegularFile(c)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Imports a bzImage into the cache (once per content) so it gains an extracted vmlinux. */
    @SuppressWarnings("try")
    private ResolvedKernel importImage(Path image, Optional<Path> config, ResolvedKernel.Origin origin)
            throws KernelException {
        String sha;
        String release;
        try {
            byte[] bytes = Files.readAllBytes(image);
            sha = Sha256.of(bytes);
            release = BzImage.parse(image.toString(), bytes).release();
        } catch (IOException e) {
            throw new KernelException(Kind.BAD_IMAGE, "cannot read " + image + ": " + e, e);
        }
        String key = CacheKeys.pathImport(release, sha);
        try (KeyLock lock = cache.lock(key)) {
            Optional<EntryStatus> existing = cache.lookup(key, false);
            if (existing.isPresent() && existing.get() instanceof CacheEntry e) {
                return fromEntry(e, origin);
            }
            existing.filter(CorruptEntry.class::isInstance).map(CorruptEntry.class::cast).ifPresent(c ->
                    progress.warning("replacing corrupt cache entry " + key + ": " + c.reason()));
            progress.stage("importing " + image + " into the kernel cache as " + key);
            CacheEntry entry = cache.install(key, staging -> EntryStager.stage(staging, new EntryStager.Input(key,
                    image, config, new KernelSource.PathImport(image.toString()), null, null), clock));
            return fromEntry(entry, origin);
        }
    }

    private ResolvedKernel fromVmlinux(Path vmlinux, ResolvedKernel.Origin origin) throws KernelException {
        VmlinuxFacts facts;
        long size;
        String release;
        try (FileChannel ch = FileChannel.open(vmlinux, StandardOpenOption.READ)) {
            size = ch.size();
            ByteBuffer mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            facts = VmlinuxFacts.inspect(vmlinux.toString(), mapped);
            release = VmlinuxFacts.bannerRelease(mapped);
        } catch (IOException e) {
            throw new KernelException(Kind.BAD_IMAGE, "cannot read " + vmlinux + ": " + e, e);
        }
        if (!facts.hasPvhEntry()) {
            throw new KernelException(Kind.BAD_IMAGE, vmlinux + " has no PVH entry note (CONFIG_PVH=n), so it "
                    + "cannot be booted directly; give its bzImage instead");
        }
        KernelMetadata m = new KernelMetadata(KernelMetadata.SCHEMA, "", release, upstream(release), null, "x86_64",
                new KernelSource.PathImport(vmlinux.toString()), FeatureState.of(facts.hasBtf()), FeatureState.YES,
                FeatureState.UNKNOWN, null, Map.of(KernelCache.VMLINUX, new FileFacts(size, "")), clock.instant());
        return new ResolvedKernel(vmlinux, Optional.of(vmlinux), Optional.empty(), release, Optional.empty(), m,
                origin);
    }

    private static CacheEntry requireValid(EntryStatus s) throws KernelException {
        if (s instanceof CorruptEntry c) {
            throw new KernelException(Kind.CORRUPT_ENTRY, "cache entry " + c.key() + " is corrupt: " + c.reason()
                    + "; re-fetch it or remove it with './ktstr kernel clean --corrupt-only'");
        }
        return (CacheEntry) s;
    }

    /** The resolved kernel of a valid cache entry. */
    public static ResolvedKernel fromEntry(CacheEntry e, ResolvedKernel.Origin origin) {
        return new ResolvedKernel(e.image(), e.vmlinux(), e.config(), e.metadata().release(), Optional.of(e.key()),
                e.metadata(), origin);
    }

    private static byte[] head(Path file, int n) throws KernelException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(n);
        } catch (IOException e) {
            throw new KernelException(Kind.BAD_IMAGE, "cannot read " + file + ": " + e, e);
        }
    }

    private static String upstream(String release) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^[0-9]+(?:\\.[0-9]+)*").matcher(release);
        return m.find() ? m.group() : release;
    }
}

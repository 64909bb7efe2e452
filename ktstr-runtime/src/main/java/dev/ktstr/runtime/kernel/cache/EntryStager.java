package dev.ktstr.runtime.kernel.cache;

import dev.ktstr.runtime.kernel.FeatureState;
import dev.ktstr.runtime.kernel.FileFacts;
import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.KernelException.Kind;
import dev.ktstr.runtime.kernel.KernelMetadata;
import dev.ktstr.runtime.kernel.KernelSource;
import dev.ktstr.runtime.kernel.image.KernelConfig;
import dev.ktstr.runtime.kernel.image.VmlinuxExtractor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the files of a cache entry from a bzImage and its config, whatever their origin: copies
 * both, extracts the vmlinux, derives the facts (release, BTF, PVH, sched_ext, HZ) and returns the
 * metadata. Used by fetch, build and path import alike so every entry is made the same way.
 */
public final class EntryStager {

    private static final Pattern UPSTREAM = Pattern.compile("^[0-9]+(?:\\.[0-9]+)*");

    private EntryStager() {}

    /**
     * What goes into an entry.
     *
     * @param key             the cache key
     * @param image           the bzImage to copy
     * @param config          its {@code .config}, if known
     * @param source          where it came from
     * @param flavour         the Debian flavour, or null
     * @param expectedRelease the release the image must report, or null to accept what it reports
     */
    public record Input(String key, Path image, Optional<Path> config, KernelSource source, String flavour,
            String expectedRelease) {}

    /** Writes {@code in}'s files into {@code staging} and returns the metadata to store with them. */
    public static KernelMetadata stage(Path staging, Input in, Clock clock) throws KernelException {
        Path image = staging.resolve(KernelCache.IMAGE);
        Path vmlinux = staging.resolve(KernelCache.VMLINUX);
        Path config = staging.resolve(KernelCache.CONFIG);
        copy(in.image(), image);
        VmlinuxExtractor.Extracted x = VmlinuxExtractor.extract(image, vmlinux);
        String release = x.header().release();
        if (in.expectedRelease() != null && !in.expectedRelease().equals(release)) {
            throw new KernelException(Kind.BAD_IMAGE, in.image() + " reports release '" + release + "', expected '"
                    + in.expectedRelease() + "'");
        }
        if (release.isEmpty()) {
            throw new KernelException(Kind.BAD_IMAGE, in.image() + " has no kernel_version string in its header");
        }
        Map<String, FileFacts> files = new LinkedHashMap<>();
        files.put(KernelCache.IMAGE, KernelCache.facts(image));
        files.put(KernelCache.VMLINUX, new FileFacts(x.vmlinuxSize(), x.vmlinuxSha256()));
        FeatureState schedExt = FeatureState.UNKNOWN;
        Integer hz = null;
        if (in.config().isPresent()) {
            copy(in.config().get(), config);
            files.put(KernelCache.CONFIG, KernelCache.facts(config));
            try {
                KernelConfig kc = KernelConfig.read(config);
                schedExt = FeatureState.of(kc.hasSchedExt());
                hz = kc.hz().isPresent() ? kc.hz().getAsInt() : null;
            } catch (IOException e) {
                throw new KernelException(Kind.CACHE_IO, "cannot read " + config + ": " + e, e);
            }
        }
        Matcher m = UPSTREAM.matcher(release);
        String version = m.find() ? m.group() : release;
        return new KernelMetadata(KernelMetadata.SCHEMA, in.key(), release, version, in.flavour(), "x86_64",
                in.source(), FeatureState.of(x.facts().hasBtf()), FeatureState.of(x.facts().hasPvhEntry()), schedExt,
                hz, files, clock.instant());
    }

    private static void copy(Path from, Path to) throws KernelException {
        try {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new KernelException(Kind.CACHE_IO, "cannot copy " + from + " to " + to + ": " + e, e);
        }
    }
}

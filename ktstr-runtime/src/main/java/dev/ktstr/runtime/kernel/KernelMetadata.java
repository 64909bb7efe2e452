package dev.ktstr.runtime.kernel;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The facts recorded in a cache entry's {@code metadata.json}: what the kernel is, where it came
 * from, what it can do, and the size and digest of every file, so an entry can be validated before
 * it is booted. Schema changes bump {@link #SCHEMA}; entries of another schema are treated as corrupt
 * and re-fetched.
 *
 * @param schema    {@link #SCHEMA}
 * @param key       the cache key (the entry's directory name)
 * @param release   the kernel release ({@code uname -r}), e.g. {@code 7.3.4+deb13-cloud-amd64}
 * @param version   the upstream version, e.g. {@code 7.3.4}
 * @param flavour   the Debian flavour ({@code cloud-amd64}), or null for other sources
 * @param arch      {@code x86_64}
 * @param source    where it came from
 * @param btf       whether the vmlinux has a {@code .BTF} section
 * @param pvhEntry  whether the vmlinux has a PVH entry note
 * @param schedExt  whether {@code CONFIG_SCHED_CLASS_EXT=y}
 * @param configHz  {@code CONFIG_HZ}, or null when unknown
 * @param files     facts per file name of the entry ({@code bzImage}, {@code vmlinux}, {@code config})
 * @param cachedAt  when the entry was written
 */
public record KernelMetadata(int schema, String key, String release, String version, String flavour, String arch,
        KernelSource source, FeatureState btf, FeatureState pvhEntry, FeatureState schedExt, Integer configHz,
        Map<String, FileFacts> files, Instant cachedAt) {

    public static final int SCHEMA = 1;

    public KernelMetadata {
        files = Map.copyOf(files);
    }

    @JsonIgnore
    public OptionalInt hz() {
        return configHz == null ? OptionalInt.empty() : OptionalInt.of(configHz);
    }

    @JsonIgnore
    public Optional<String> flavourName() {
        return Optional.ofNullable(flavour);
    }

    /** Total bytes of the entry's files. */
    @JsonIgnore
    public long totalBytes() {
        return files.values().stream().mapToLong(FileFacts::size).sum();
    }
}

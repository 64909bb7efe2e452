package dev.ktstr.runtime.sched.build;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ktstr.runtime.kernel.cache.MetadataJson;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code metadata.json} of a scheduler cache entry: what was built, from which source package,
 * against which kernel BTF, with which fixture sources, and each binary's size and digest (an entry
 * whose files do not match is rebuilt, never booted). Schema changes bump {@link #SCHEMA}.
 *
 * @param schema        {@link #SCHEMA}
 * @param key           the entry's directory name: {@code <source version>-<BTF sha12>}
 * @param sourcePackage {@code linux-source-7.3}
 * @param sourceVersion the Debian package version, {@code 7.3.4-1~bpo13+1}
 * @param sourceHash    the .deb's digest from the signed index ({@code SHA256:…})
 * @param kernelRelease the kernel the build was made for ({@code uname -r})
 * @param btfSha256     SHA-256 of that kernel's {@code .BTF} section
 * @param bundledDigest digest of ktstr's own sources ({@link BundledSources#digest()})
 * @param clang         the compiler's version line
 * @param schedulers    the scheduler binaries under {@code bin/}
 * @param tools         helper binaries under {@code tools/}
 * @param notBuilt      optional schedulers that did not build, with the reason
 * @param buildSeconds  wall time of the build (without download)
 * @param builtAt       when it was installed
 */
public record BuildMetadata(int schema, String key, String sourcePackage, String sourceVersion, String sourceHash,
        String kernelRelease, String btfSha256, String bundledDigest, String clang, List<Binary> schedulers,
        List<Binary> tools, Map<String, String> notBuilt, double buildSeconds, Instant builtAt) {

    public static final int SCHEMA = 1;

    /**
     * One built file.
     *
     * @param name   its file name
     * @param size   bytes
     * @param sha256 digest
     */
    public record Binary(String name, long size, String sha256) {}

    public BuildMetadata {
        schedulers = List.copyOf(schedulers);
        tools = List.copyOf(tools);
        notBuilt = Map.copyOf(notBuilt);
    }

    /** The JSON text, in the kernel cache's style ({@link MetadataJson}). */
    public String toJson() {
        return MetadataJson.writeValue(this);
    }

    public static BuildMetadata fromJson(String json) throws JsonProcessingException {
        return MetadataJson.readValue(json, BuildMetadata.class);
    }

    /** Parses JSON written by {@link #json(Object)}. */
    public static <T> T parse(String json, Class<T> type) throws JsonProcessingException {
        return MetadataJson.readValue(json, type);
    }

    /** Any value as JSON in the same style (for {@code scheduler list --json}). */
    public static String json(Object value) {
        return MetadataJson.writeValue(value);
    }
}

package dev.ktstr.runtime.kernel.cache;

import dev.ktstr.runtime.kernel.KernelMetadata;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A validated cache entry: every file its metadata lists is present with the recorded size.
 *
 * @param key      the cache key
 * @param dir      the entry directory
 * @param metadata its {@code metadata.json}
 */
public record CacheEntry(String key, Path dir, KernelMetadata metadata) implements EntryStatus {

    /** The bzImage. */
    public Path image() {
        return dir.resolve(KernelCache.IMAGE);
    }

    /** The extracted vmlinux, when the entry has one. */
    public Optional<Path> vmlinux() {
        return file(KernelCache.VMLINUX);
    }

    /** The kernel config, when the entry has one. */
    public Optional<Path> config() {
        return file(KernelCache.CONFIG);
    }

    private Optional<Path> file(String name) {
        return metadata.files().containsKey(name) ? Optional.of(dir.resolve(name)) : Optional.empty();
    }
}

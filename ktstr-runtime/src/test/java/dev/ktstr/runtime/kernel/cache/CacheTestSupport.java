package dev.ktstr.runtime.kernel.cache;

import dev.ktstr.runtime.kernel.FeatureState;
import dev.ktstr.runtime.kernel.FileFacts;
import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.KernelMetadata;
import dev.ktstr.runtime.kernel.KernelSource;
import dev.ktstr.runtime.kernel.image.Sha256;
import dev.ktstr.runtime.kernel.testing.KernelFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/** Writes small but valid cache entries (a gzip bzImage and its ELF) without going through extraction. */
final class CacheTestSupport {

    private CacheTestSupport() {}

    /** A stager for {@code key} whose entry claims to be cached at {@code when}. */
    static KernelCache.Stager stager(String key, Instant when) {
        return dir -> {
            try {
                byte[] elf = KernelFixtures.elf(true, true);
                byte[] image = KernelFixtures.bzImage(elf, KernelFixtures.Payload.GZIP);
                Files.write(dir.resolve(KernelCache.IMAGE), image);
                Files.write(dir.resolve(KernelCache.VMLINUX), elf);
                return new KernelMetadata(KernelMetadata.SCHEMA, key, KernelFixtures.RELEASE, "7.9.9", null, "x86_64",
                        new KernelSource.PathImport("/fixture"), FeatureState.YES, FeatureState.YES, FeatureState.YES,
                        250, Map.of(KernelCache.IMAGE, new FileFacts(image.length, Sha256.of(image)),
                                KernelCache.VMLINUX, new FileFacts(elf.length, Sha256.of(elf))), when);
            } catch (IOException e) {
                throw new KernelException(KernelException.Kind.CACHE_IO, e.toString(), e);
            }
        };
    }

    @SuppressWarnings("try")
    static CacheEntry install(KernelCache cache, String key, Instant when) throws KernelException {
        try (KeyLock l = cache.lock(key)) {
            return cache.install(key, stager(key, when));
        }
    }

    static Path classpathOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}

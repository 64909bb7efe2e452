package dev.ktstr.runtime.kernel.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.KernelMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelCacheTest {

    @TempDir
    Path tmp;

    @Test
    void installedEntriesAreListedNewestFirstAndValid() throws KernelException {
        KernelCache cache = new KernelCache(tmp.resolve("kernels"));
        assertTrue(cache.list(false).isEmpty(), "a missing root is an empty cache");
        CacheTestSupport.install(cache, "path-old", Instant.parse("2026-01-01T00:00:00Z"));
        CacheTestSupport.install(cache, "path-new", Instant.parse("2026-02-01T00:00:00Z"));
        List<CacheEntry> valid = cache.validEntries();
        assertEquals(List.of("path-new", "path-old"), valid.stream().map(CacheEntry::key).toList());
        assertInstanceOf(CacheEntry.class, cache.lookup("path-old", true).orElseThrow());
        assertTrue(Files.isRegularFile(valid.get(0).vmlinux().orElseThrow()));
        assertTrue(valid.get(0).config().isEmpty());
    }

    @Test
    @SuppressWarnings("try")
    void aFailedStagingLeavesNoEntryAndNoStagingDirectory() throws KernelException, IOException {
        KernelCache cache = new KernelCache(tmp);
        KernelException boom = new KernelException(KernelException.Kind.BAD_IMAGE, "boom");
        try (KeyLock l = cache.lock("k1")) {
            assertThrows(KernelException.class, () -> cache.install("k1", dir -> {
                try {
                    Files.writeString(dir.resolve("bzImage"), "partial");
                } catch (IOException e) {
                    boom.addSuppressed(e);
                }
                throw boom;
            }));
        }
        assertTrue(cache.lookup("k1", false).isEmpty());
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(".locks"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void reinstallReplacesTheEntryAtomically() throws KernelException {
        KernelCache cache = new KernelCache(tmp);
        CacheTestSupport.install(cache, "k", Instant.parse("2026-01-01T00:00:00Z"));
        CacheEntry second = CacheTestSupport.install(cache, "k", Instant.parse("2026-03-01T00:00:00Z"));
        assertEquals(Instant.parse("2026-03-01T00:00:00Z"), second.metadata().cachedAt());
        assertEquals(1, cache.validEntries().size());
    }

    @Test
    void corruptEntriesAreDetectedWithTheReason() throws KernelException, IOException {
        KernelCache cache = new KernelCache(tmp);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        Path truncated = CacheTestSupport.install(cache, "truncated", t).dir();
        Files.write(truncated.resolve("vmlinux"), new byte[16]);
        Path missing = CacheTestSupport.install(cache, "missing", t).dir();
        Files.delete(missing.resolve("bzImage"));
        Path badJson = CacheTestSupport.install(cache, "badjson", t).dir();
        Files.writeString(badJson.resolve("metadata.json"), "{\"schema\": 1, \"key\": ");
        Path wrongKey = CacheTestSupport.install(cache, "wrongkey", t).dir();
        Files.writeString(wrongKey.resolve("metadata.json"), Files.readString(wrongKey.resolve("metadata.json"))
                .replace("\"wrongkey\"", "\"other\""));
        Path schema = CacheTestSupport.install(cache, "schema", t).dir();
        Files.writeString(schema.resolve("metadata.json"), Files.readString(schema.resolve("metadata.json"))
                .replace("\"schema\" : 1", "\"schema\" : 99"));
        Path noMeta = CacheTestSupport.install(cache, "nometa", t).dir();
        Files.delete(noMeta.resolve("metadata.json"));
        Path notElf = CacheTestSupport.install(cache, "notelf", t).dir();
        byte[] v = Files.readAllBytes(notElf.resolve("vmlinux"));
        v[0] = 0;
        Files.write(notElf.resolve("vmlinux"), v);
        CacheTestSupport.install(cache, "good", t);

        assertEquals(List.of("good"), cache.validEntries().stream().map(CacheEntry::key).toList());
        assertReason(cache, "truncated", "vmlinux is 16 bytes");
        assertReason(cache, "missing", "bzImage is missing");
        assertReason(cache, "badjson", "not valid metadata");
        assertReason(cache, "wrongkey", "names key 'other'");
        assertReason(cache, "schema", "schema 99");
        assertReason(cache, "nometa", "metadata.json is missing");
        assertReason(cache, "notelf", "not an ELF");
    }

    @Test
    void deepCheckCatchesAlteredBytesOfTheSameSize() throws KernelException, IOException {
        KernelCache cache = new KernelCache(tmp);
        Path dir = CacheTestSupport.install(cache, "k", Instant.now()).dir();
        byte[] v = Files.readAllBytes(dir.resolve("vmlinux"));
        v[v.length - 1] ^= 1;
        Files.write(dir.resolve("vmlinux"), v);
        assertInstanceOf(CacheEntry.class, cache.lookup("k", false).orElseThrow());
        CorruptEntry c = assertInstanceOf(CorruptEntry.class, cache.lookup("k", true).orElseThrow());
        assertTrue(c.reason().contains("SHA-256"), c.reason());
    }

    @Test
    void sweepRemovesLeftoversOfDeadWritersOnly() throws KernelException, IOException {
        KernelCache cache = new KernelCache(tmp);
        Path dead = Files.createDirectories(tmp.resolve(".tmp-999999999-abcd-k"));
        Files.writeString(dead.resolve("bzImage"), "x");
        Path trash = Files.createDirectories(tmp.resolve(".trash-999999998-abcd-k"));
        Path live = Files.createDirectories(tmp.resolve(".tmp-" + ProcessHandle.current().pid() + "-abcd-k"));
        assertEquals(2, cache.sweepLeftovers());
        assertFalse(Files.exists(dead));
        assertFalse(Files.exists(trash));
        assertTrue(Files.exists(live));
    }

    @Test
    @SuppressWarnings("try")
    void removeDeletesTheEntry() throws KernelException {
        KernelCache cache = new KernelCache(tmp);
        CacheTestSupport.install(cache, "k", Instant.now());
        try (KeyLock l = cache.lock("k")) {
            assertTrue(cache.remove("k"));
            assertFalse(cache.remove("k"));
        }
        assertTrue(cache.validEntries().isEmpty());
    }

    @Test
    void metadataRoundTripsThroughJson() throws Exception {
        KernelMetadata m = CacheTestSupport.stager("k", Instant.parse("2026-01-01T00:00:00Z")).stage(
                Files.createDirectories(tmp.resolve("s")));
        assertEquals(m, MetadataJson.read(MetadataJson.write(m)));
        assertTrue(MetadataJson.write(m).contains("\"kind\" : \"path\""));
    }

    private static void assertReason(KernelCache cache, String key, String fragment) {
        CorruptEntry c = assertInstanceOf(CorruptEntry.class, cache.lookup(key, false).orElseThrow(), key);
        assertTrue(c.reason().contains(fragment), key + ": " + c.reason());
    }
}

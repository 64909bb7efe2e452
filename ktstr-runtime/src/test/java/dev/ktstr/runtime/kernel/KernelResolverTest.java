package dev.ktstr.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.kvm.engine.KernelImage;
import dev.ktstr.runtime.kernel.KernelException.Kind;
import dev.ktstr.runtime.kernel.cache.CacheEntry;
import dev.ktstr.runtime.kernel.cache.KernelCache;
import dev.ktstr.runtime.kernel.debian.DebianKernelFetcher;
import dev.ktstr.runtime.kernel.testing.KernelFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery order and provisioning, over a temporary home, cache, /etc and /boot. */
class KernelResolverTest {

    @TempDir
    Path tmp;

    private final List<String> warnings = new ArrayList<>();

    private final ProgressSink recording = new ProgressSink() {
        @Override
        public void stage(String message) {}

        @Override
        public void warning(String message) {
            synchronized (warnings) {
                warnings.add(message);
            }
        }

        @Override
        public Transfer transfer(String label, long totalBytes) {
            return ProgressSink.SILENT.transfer(label, totalBytes);
        }
    };

    private KernelEnvironment env(Map<String, String> vars) {
        return new KernelEnvironment(vars, tmp.resolve("home"), tmp.resolve("etc"), tmp.resolve("boot"), "6.1.0-host");
    }

    private KernelResolver resolver(KernelEnvironment env, Instant now) {
        return new KernelResolver(env, new KernelCache(env.kernelCacheRoot()), recording,
                Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void cacheRootFollowsKtstrCacheDirThenXdgThenHome() {
        assertEquals(tmp.resolve("c/kernels"), env(Map.of("KTSTR_CACHE_DIR", tmp.resolve("c").toString(),
                "XDG_CACHE_HOME", "/x")).kernelCacheRoot());
        assertEquals(Path.of("/x/ktstr/kernels"), env(Map.of("XDG_CACHE_HOME", "/x")).kernelCacheRoot());
        assertEquals(tmp.resolve("home/.cache/ktstr/kernels"), env(Map.of("XDG_CACHE_HOME", "relative"))
                .kernelCacheRoot());
    }

    @Test
    void nothingAnywhereSaysWhichCommandFetchesAKernel() {
        KernelException e = assertThrows(KernelException.class, () -> resolver(env(Map.of()), Instant.now()).resolve());
        assertEquals(Kind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains("./ktstr kernel fetch"), e.getMessage());
        assertTrue(e.getMessage().contains("vmlinuz-6.1.0-host does not exist"), e.getMessage());
    }

    @Test
    void ktstrKernelPathToABzImageIsImportedOnceAndBootsThroughPvh() throws Exception {
        Path image = KernelFixtures.writeImage(tmp.resolve("img"), "vmlinuz-" + KernelFixtures.RELEASE);
        Files.writeString(tmp.resolve("img/config-" + KernelFixtures.RELEASE), KernelFixtures.config(true, 1000));
        KernelResolver r = resolver(env(Map.of("KTSTR_KERNEL", image.toString())), Instant.now());
        ResolvedKernel k = r.resolve();
        assertEquals(ResolvedKernel.Origin.ENVIRONMENT, k.origin());
        assertEquals(KernelFixtures.RELEASE, k.release());
        assertTrue(k.cacheKey().orElseThrow().startsWith("path-" + KernelFixtures.RELEASE + "-"));
        assertEquals(KernelImage.Format.ELF_PVH, k.bootImage().format());
        assertEquals(1000, k.metadata().configHz());
        assertEquals(FeatureState.YES, k.metadata().schedExt());
        assertEquals(k.cacheKey(), r.resolve().cacheKey(), "the same image maps to the same entry");
        assertEquals(1, r.cache().validEntries().size());
    }

    @Test
    void ktstrKernelPathToAVmlinuxIsUsedInPlace() throws Exception {
        Path vmlinux = Files.write(tmp.resolve("vmlinux"), KernelFixtures.elf(true, true));
        ResolvedKernel k = resolver(env(Map.of("KTSTR_KERNEL", vmlinux.toString())), Instant.now()).resolve();
        assertEquals(vmlinux, k.image());
        assertEquals(KernelFixtures.RELEASE, k.release());
        assertEquals(new KernelImage(vmlinux, KernelImage.Format.ELF_PVH), k.bootImage());
        Path noPvh = Files.write(tmp.resolve("vmlinux-nopvh"), KernelFixtures.elf(true, false));
        KernelException e = assertThrows(KernelException.class,
                () -> resolver(env(Map.of("KTSTR_KERNEL", noPvh.toString())), Instant.now()).resolve());
        assertTrue(e.getMessage().contains("no PVH entry"), e.getMessage());
    }

    @Test
    void ktstrKernelBuildDirectoryUsesItsBzImageAndConfig() throws Exception {
        Path tree = tmp.resolve("linux");
        KernelFixtures.writeImage(tree.resolve("arch/x86/boot"), "bzImage");
        Files.writeString(tree.resolve(".config"), KernelFixtures.config(false, 100));
        ResolvedKernel k = resolver(env(Map.of("KTSTR_KERNEL", tree.toString())), Instant.now()).resolve();
        assertEquals(FeatureState.NO, k.metadata().schedExt());
        assertEquals(100, k.metadata().configHz());
    }

    @Test
    void ktstrKernelVersionOrKeySelectsACachedKernel() throws Exception {
        KernelEnvironment e = env(Map.of());
        KernelResolver r = resolver(e, Instant.now());
        Path image = KernelFixtures.writeImage(tmp.resolve("img"), "bzImage");
        String key = r.resolveSpec(image.toString(), ResolvedKernel.Origin.ENVIRONMENT).cacheKey().orElseThrow();
        assertEquals(key, resolver(e.with("KTSTR_KERNEL", "7.9"), Instant.now()).resolve().cacheKey().orElseThrow());
        assertEquals(key, resolver(e.with("KTSTR_KERNEL", KernelFixtures.RELEASE), Instant.now()).resolve().cacheKey()
                .orElseThrow());
        assertEquals(key, resolver(e.with("KTSTR_KERNEL", key), Instant.now()).resolve().cacheKey().orElseThrow());
        KernelException missing = assertThrows(KernelException.class,
                () -> resolver(e.with("KTSTR_KERNEL", "7.2"), Instant.now()).resolve());
        assertEquals(Kind.NOT_FOUND, missing.kind());
        assertTrue(missing.getMessage().contains("./ktstr kernel fetch 7.2"), missing.getMessage());
    }

    @Test
    void aMissingPathInKtstrKernelIsAnErrorNotAFallback() throws Exception {
        KernelEnvironment e = env(Map.of("KTSTR_KERNEL", tmp.resolve("nope/bzImage").toString()));
        Path image = KernelFixtures.writeImage(tmp.resolve("img"), "bzImage");
        resolver(env(Map.of()), Instant.now()).resolveSpec(image.toString(), ResolvedKernel.Origin.ENVIRONMENT);
        KernelException ex = assertThrows(KernelException.class, () -> resolver(e, Instant.now()).resolve());
        assertTrue(ex.getMessage().contains("does not exist"), ex.getMessage());
        Path text = Files.writeString(tmp.resolve("notes.txt"), "hello");
        KernelException bad = assertThrows(KernelException.class,
                () -> resolver(env(Map.of("KTSTR_KERNEL", text.toString())), Instant.now()).resolve());
        assertEquals(Kind.BAD_IMAGE, bad.kind());
    }

    @Test
    void newestValidCacheEntryWinsAndCorruptOnesAreReportedAndSkipped() throws Exception {
        KernelEnvironment e = env(Map.of());
        Path a = KernelFixtures.writeImage(tmp.resolve("a"), "bzImage");
        Path b = tmp.resolve("b/bzImage");
        Files.createDirectories(b.getParent());
        byte[] bytes = Files.readAllBytes(a);
        bytes[bytes.length - 1] = 1; // different content in the padding: a different kernel
        Files.write(b, bytes);
        String older = resolver(e, Instant.parse("2026-01-01T00:00:00Z"))
                .resolveSpec(a.toString(), ResolvedKernel.Origin.ENVIRONMENT).cacheKey().orElseThrow();
        String newer = resolver(e, Instant.parse("2026-02-01T00:00:00Z"))
                .resolveSpec(b.toString(), ResolvedKernel.Origin.ENVIRONMENT).cacheKey().orElseThrow();
        KernelResolver r = resolver(e, Instant.now());
        ResolvedKernel k = r.resolve();
        assertEquals(ResolvedKernel.Origin.CACHE, k.origin());
        assertEquals(newer, k.cacheKey().orElseThrow());
        Files.write(r.cache().entryDir(newer).resolve("vmlinux"), new byte[10]);
        assertEquals(older, r.resolve().cacheKey().orElseThrow());
        assertTrue(warnings.stream().anyMatch(w -> w.contains(newer) && w.contains("vmlinux is 10 bytes")), warnings
                .toString());
        KernelException byKey = assertThrows(KernelException.class,
                () -> resolver(e.with("KTSTR_KERNEL", newer), Instant.now()).resolve());
        assertEquals(Kind.CORRUPT_ENTRY, byKey.kind());
    }

    @Test
    void hostBootKernelIsTheLastResortWithUnknownFacts() throws Exception {
        KernelEnvironment e = env(Map.of());
        KernelFixtures.writeImage(e.boot(), "vmlinuz-6.1.0-host");
        ResolvedKernel k = resolver(e, Instant.now()).resolve();
        assertEquals(ResolvedKernel.Origin.HOST_BOOT, k.origin());
        assertEquals(FeatureState.UNKNOWN, k.metadata().btf());
        assertEquals(FeatureState.UNKNOWN, k.metadata().schedExt());
        assertTrue(k.vmlinux().isEmpty());
        assertEquals(KernelImage.Format.BZIMAGE, k.bootImage().format());
        Files.writeString(e.boot().resolve("vmlinuz-6.1.0-host"), "not a kernel");
        KernelException ex = assertThrows(KernelException.class, () -> resolver(e, Instant.now()).resolve());
        assertTrue(ex.getMessage().contains("is not usable"), ex.getMessage());
    }

    @Test
    void provisionerFetchesOnlyWhenTheCacheIsEmpty() throws Exception {
        KernelEnvironment e = env(Map.of());
        KernelResolver r = resolver(e, Instant.now());
        Path image = KernelFixtures.writeImage(tmp.resolve("img"), "bzImage");
        AtomicInteger fetches = new AtomicInteger();
        KernelProvisioner.Fetcher fake = req -> {
            fetches.incrementAndGet();
            assertEquals(DebianKernelFetcher.Request.defaults(), req);
            String key = r.resolveSpec(image.toString(), ResolvedKernel.Origin.ENVIRONMENT).cacheKey().orElseThrow();
            return (CacheEntry) r.cache().lookup(key, false).orElseThrow();
        };
        KernelProvisioner p = new KernelProvisioner(r, fake, recording);
        assertEquals(ResolvedKernel.Origin.FETCHED, p.ensure().origin());
        assertEquals(ResolvedKernel.Origin.CACHE, p.ensure().origin());
        assertEquals(1, fetches.get());
    }

    @Test
    void provisionerReportsBothFailuresWhenFetchFailsAndThereIsNoHostKernel() {
        KernelResolver r = resolver(env(Map.of()), Instant.now());
        KernelProvisioner p = new KernelProvisioner(r, req -> {
            throw new KernelException(Kind.FETCH_FAILED, "archive unreachable");
        }, recording);
        KernelException e = assertThrows(KernelException.class, p::ensure);
        assertEquals(Kind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains("archive unreachable") && e.getMessage().contains("./ktstr kernel fetch"),
                e.getMessage());
    }

    @Test
    void provisionerFallsBackToTheHostKernelWhenTheFetchFails() throws IOException, KernelException {
        KernelEnvironment e = env(Map.of());
        KernelFixtures.writeImage(e.boot(), "vmlinuz-6.1.0-host");
        KernelProvisioner p = new KernelProvisioner(resolver(e, Instant.now()), req -> {
            throw new KernelException(Kind.FETCH_FAILED, "offline");
        }, recording);
        assertEquals(ResolvedKernel.Origin.HOST_BOOT, p.ensure().origin());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("offline")), warnings.toString());
    }
}

package dev.ktstr.runtime.sched.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.runtime.kernel.ProgressSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchedulerCacheTest {

    @TempDir
    Path tmp;

    @Test
    void concurrentCallersBuildOnce() throws Exception {
        FakeKernel fk = new FakeKernel(tmp.resolve("k"), 300);
        SchedulerCache cache = fk.cache(tmp.resolve("schedulers"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<SchedulerCache.Entry>> all = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                all.add(pool.submit(() -> cache.ensureBuilt(fk.kernel, ProgressSink.SILENT)));
            }
            String key = null;
            for (Future<SchedulerCache.Entry> f : all) {
                String k = f.get().key();
                assertTrue(key == null || key.equals(k));
                key = k;
            }
            assertEquals(1, fk.builds.get());
            assertEquals(1, fk.fetches.get());
            BtfKey btf = BtfKey.of(fk.kernel.vmlinux().orElseThrow());
            assertEquals("7.3.4-1~bpo13+1-" + btf.shortId() + "-" + BundledSources.digest().substring(0, 8), key);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theEntryIsFoundAgainWithoutFetchingOrBuilding() throws Exception {
        FakeKernel fk = new FakeKernel(tmp.resolve("k"), 0);
        SchedulerCache cache = fk.cache(tmp.resolve("schedulers"));
        SchedulerCache.Entry e = cache.ensureBuilt(fk.kernel, ProgressSink.SILENT);
        SchedulerCache.Entry again = fk.cache(tmp.resolve("schedulers")).ensureBuilt(fk.kernel, ProgressSink.SILENT);
        assertEquals(e.dir(), again.dir());
        assertEquals(1, fk.builds.get());
        assertTrue(Files.isExecutable(e.binary("scx_simple")));
        assertTrue(Files.isExecutable(e.tool("ktstr_progs")));
        BuildMetadata m = e.metadata();
        assertEquals("linux-source-7.3", m.sourcePackage());
        assertEquals("7.3.4+deb13-cloud-amd64", m.kernelRelease());
        assertEquals(BundledSources.digest(), m.bundledDigest());
        assertEquals(9, m.schedulers().size());
        assertEquals(List.of(e), cache.list());
    }

    @Test
    void anEntryOfOtherFixtureSourcesIsKeptBesideTheNewOne() throws Exception {
        FakeKernel fk = new FakeKernel(tmp.resolve("k"), 0);
        Path root = tmp.resolve("schedulers");
        SchedulerCache cache = fk.cache(root);
        SchedulerCache.Entry e = cache.ensureBuilt(fk.kernel, ProgressSink.SILENT);
        // What another checkout with an edited fixture built, under the old naming without a digest.
        String otherKey = "7.3.4-1~bpo13+1-" + BtfKey.of(fk.kernel.vmlinux().orElseThrow()).shortId();
        Path other = root.resolve(otherKey);
        SchedulerBuilder.copyTree(e.dir(), other);
        BuildMetadata m = e.metadata();
        Files.writeString(other.resolve(SchedulerCache.METADATA), new BuildMetadata(m.schema(), otherKey,
                m.sourcePackage(), m.sourceVersion(), m.sourceHash(), m.kernelRelease(), m.btfSha256(),
                "0123456789abcdef", m.clang(), m.schedulers(), m.tools(), m.notBuilt(), m.buildSeconds(),
                m.builtAt()).toJson());
        assertEquals(2, cache.list().size());
        assertEquals(e.dir(), cache.ensureBuilt(fk.kernel, ProgressSink.SILENT).dir(), "the current sources' entry");
        cache.build(fk.kernel, ProgressSink.SILENT, true, false);
        assertEquals(2, cache.list().size(), "a rebuild replaces only the entry of the current sources");
        assertTrue(Files.isRegularFile(other.resolve(SchedulerCache.METADATA)));
        assertEquals(List.of(otherKey), cache.clean(false));
        assertEquals(List.of(e.key()), cache.list().stream().map(SchedulerCache.Entry::key).toList());
        assertEquals(List.of(e.key()), cache.clean(true));
        assertTrue(cache.list().isEmpty());
    }

    @Test
    void aDamagedEntryIsRebuiltFromTheCachedSources() throws Exception {
        FakeKernel fk = new FakeKernel(tmp.resolve("k"), 0);
        SchedulerCache cache = fk.cache(tmp.resolve("schedulers"));
        SchedulerCache.Entry e = cache.ensureBuilt(fk.kernel, ProgressSink.SILENT);
        Files.writeString(e.binary("scx_flatcg"), "truncated");
        assertTrue(cache.list().isEmpty(), "a file whose size changed invalidates the entry");
        SchedulerCache.Entry rebuilt = cache.ensureBuilt(fk.kernel, ProgressSink.SILENT);
        assertEquals(e.key(), rebuilt.key());
        assertEquals(2, fk.builds.get());
        assertEquals(1, fk.fetches.get(), "the extracted sources were reused");
        assertTrue(Files.isDirectory(tmp.resolve("schedulers/.src/linux-source-7.3_7.3.4-1~bpo13+1/linux-source-7.3")));
    }

    @Test
    void forceRebuildsAndRemoveDeletes() throws Exception {
        FakeKernel fk = new FakeKernel(tmp.resolve("k"), 0);
        SchedulerCache cache = fk.cache(tmp.resolve("schedulers"));
        SchedulerCache.Entry e = cache.ensureBuilt(fk.kernel, ProgressSink.SILENT);
        cache.build(fk.kernel, ProgressSink.SILENT, true, false);
        assertEquals(2, fk.builds.get());
        assertTrue(cache.remove(e.key()));
        assertFalse(cache.remove(e.key()));
        assertFalse(cache.remove("../k"));
        assertTrue(cache.list().isEmpty());
    }

    @Test
    void leftoversOfDeadBuildersAreSwept() throws Exception {
        FakeKernel fk = new FakeKernel(tmp.resolve("k"), 0);
        Path root = tmp.resolve("schedulers");
        Path dead = root.resolve(".tmp-2147483646-abcd-work/o");
        Files.createDirectories(dead);
        Path mine = root.resolve(".tmp-" + ProcessHandle.current().pid() + "-abcd-work");
        Files.createDirectories(mine);
        fk.cache(root).ensureBuilt(fk.kernel, ProgressSink.SILENT);
        assertFalse(Files.exists(dead.getParent()));
        assertTrue(Files.exists(mine), "a live process's staging directory is left alone");
    }

    @Test
    void optionalSchedulersThatDidNotBuildAreRecorded() throws Exception {
        FakeKernel fk = new FakeKernel(tmp.resolve("k"), 0);
        fk.skip.add("scx_qmap");
        SchedulerCache.Entry e = fk.cache(tmp.resolve("schedulers")).ensureBuilt(fk.kernel, ProgressSink.SILENT);
        assertFalse(e.has("scx_qmap"));
        assertEquals("did not compile: (fake)", e.metadata().notBuilt().get("scx_qmap"));
    }
}

package dev.ktstr.runtime.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.runtime.kernel.ProgressSink;
import dev.ktstr.runtime.sched.build.FakeKernel;
import dev.ktstr.runtime.sched.build.SchedulerCache;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery through the scheduler cache: built on demand for known names, never for unknown ones. */
class SchedulerCatalogCacheTest {

    @TempDir
    Path tmp;

    @Test
    void aKnownNameIsBuiltOnDemandAndThenFound() throws Exception {
        FakeKernel fk = new FakeKernel(tmp.resolve("k"), 0);
        SchedulerCache cache = fk.cache(tmp.resolve("schedulers"));
        SchedulerCatalog catalog = new SchedulerCatalog(Map.of(), tmp, cache);
        SchedulerCatalog.Found f = catalog.find("scx_central", fk.kernel, ProgressSink.SILENT);
        assertEquals(SchedulerCatalog.Origin.CACHE, f.origin());
        assertTrue(f.path().endsWith("bin/scx_central"));
        assertEquals("central", f.known().orElseThrow().opsName());
        catalog.find("scx_simple", fk.kernel, ProgressSink.SILENT);
        assertTrue(catalog.tool("ktstr_progs", fk.kernel, ProgressSink.SILENT).endsWith("tools/ktstr_progs"));
        assertEquals(1, fk.builds.get());
    }

    @Test
    void anUnknownNameFailsAtDiscoveryWithoutBuilding() throws Exception {
        FakeKernel fk = new FakeKernel(tmp.resolve("k"), 0);
        SchedulerCatalog catalog = new SchedulerCatalog(Map.of(), tmp, fk.cache(tmp.resolve("schedulers")));
        SchedulerException e = assertThrows(SchedulerException.class,
                () -> catalog.find("scx_missing", fk.kernel, ProgressSink.SILENT));
        assertEquals(0, fk.builds.get());
        assertEquals("scheduler binary 'scx_missing' not found: searched KTSTR_SCHEDULER_DIR (not set), the scheduler "
                + "cache " + tmp.resolve("schedulers") + " (no build for kernel 7.3.4+deb13-cloud-amd64); ktstr builds "
                + "only " + String.join(", ", BuildableScheduler.binaries()) + ": give a path or put the binary in "
                + "KTSTR_SCHEDULER_DIR", e.getMessage());
    }

    @Test
    void anOptionalSchedulerThatDidNotBuildSaysWhy() throws Exception {
        FakeKernel fk = new FakeKernel(tmp.resolve("k"), 0);
        fk.skip.add("scx_qmap");
        SchedulerCatalog catalog = new SchedulerCatalog(Map.of(), tmp, fk.cache(tmp.resolve("schedulers")));
        SchedulerException e = assertThrows(SchedulerException.class,
                () -> catalog.find("scx_qmap", fk.kernel, ProgressSink.SILENT));
        assertTrue(e.getMessage().contains("(scx_qmap did not compile: (fake))"), e.getMessage());
    }
}

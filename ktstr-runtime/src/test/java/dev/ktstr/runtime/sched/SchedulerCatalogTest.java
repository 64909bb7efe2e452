package dev.ktstr.runtime.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.runtime.kernel.KernelEnvironment;
import dev.ktstr.runtime.kernel.ProgressSink;
import dev.ktstr.runtime.sched.build.SchedulerCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery without a kernel: paths and KTSTR_SCHEDULER_DIR, and the errors naming what was searched. */
class SchedulerCatalogTest {

    @TempDir
    Path tmp;

    private SchedulerCatalog catalog(Map<String, String> env) {
        KernelEnvironment ke = new KernelEnvironment(Map.of("KTSTR_CACHE_DIR", tmp.resolve("cache").toString()),
                tmp, tmp.resolve("etc"), tmp.resolve("boot"), "");
        return new SchedulerCatalog(env, tmp, new SchedulerCache(SchedulerCache.rootFor(ke), ke, Clock.systemUTC()));
    }

    private Path executable(Path p) throws Exception {
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void aPathIsTheOnlyPlaceSearched() throws Exception {
        Path bin = executable(tmp.resolve("build/my_sched"));
        SchedulerCatalog.Found f = catalog(Map.of()).find("build/my_sched", null, ProgressSink.SILENT);
        assertEquals(bin, f.path());
        assertEquals(SchedulerCatalog.Origin.PATH, f.origin());

        SchedulerException e = assertThrows(SchedulerException.class,
                () -> catalog(Map.of()).find("build/missing", null, ProgressSink.SILENT));
        assertEquals(SchedulerException.Kind.NOT_FOUND, e.kind());
        assertEquals("scheduler binary 'build/missing' not found: searched the path " + tmp.resolve("build/missing")
                + " (no such file)", e.getMessage());
    }

    @Test
    void aBareNameIsFoundInTheSchedulerDir() throws Exception {
        Path bin = executable(tmp.resolve("scheds/scx_simple"));
        SchedulerCatalog.Found f = catalog(Map.of(SchedulerCatalog.KTSTR_SCHEDULER_DIR, tmp.resolve("scheds")
                .toString())).find("scx_simple", null, ProgressSink.SILENT);
        assertEquals(bin, f.path());
        assertEquals(SchedulerCatalog.Origin.SCHEDULER_DIR, f.origin());
        assertEquals("simple", f.known().orElseThrow().opsName());
    }

    @Test
    void aMissingNameNamesEveryPlaceSearched() throws Exception {
        Files.createDirectories(tmp.resolve("scheds"));
        SchedulerException e = assertThrows(SchedulerException.class, () -> catalog(
                Map.of(SchedulerCatalog.KTSTR_SCHEDULER_DIR, tmp.resolve("scheds").toString()))
                .find("scx_nonexistent", null, ProgressSink.SILENT));
        assertEquals(SchedulerException.Kind.NOT_FOUND, e.kind());
        String m = e.getMessage();
        assertTrue(m.startsWith("scheduler binary 'scx_nonexistent' not found: searched KTSTR_SCHEDULER_DIR="
                + tmp.resolve("scheds") + " (" + tmp.resolve("scheds/scx_nonexistent") + ": no such file)"), m);
        assertTrue(m.contains("the scheduler cache " + tmp.resolve("cache/schedulers")), m);
        assertTrue(m.contains("ktstr builds only scx_simple, scx_flatcg"), m);

        SchedulerException unset = assertThrows(SchedulerException.class,
                () -> catalog(Map.of()).find("scx_nonexistent", null, ProgressSink.SILENT));
        assertTrue(unset.getMessage().contains("KTSTR_SCHEDULER_DIR (not set)"), unset.getMessage());
    }

    @Test
    void aNonExecutableFileIsNotABinary() throws Exception {
        Files.createDirectories(tmp.resolve("scheds"));
        Files.writeString(tmp.resolve("scheds/scx_simple"), "text");
        SchedulerException e = assertThrows(SchedulerException.class, () -> catalog(
                Map.of(SchedulerCatalog.KTSTR_SCHEDULER_DIR, tmp.resolve("scheds").toString()))
                .find("scx_simple", null, ProgressSink.SILENT));
        assertTrue(e.getMessage().contains("not an executable file"), e.getMessage());
    }
}

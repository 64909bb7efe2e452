package dev.ktstr.runtime.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.annotations.ExpectedFailure;
import dev.ktstr.annotations.Flag;
import dev.ktstr.annotations.KernelDefault;
import dev.ktstr.annotations.Scheduler;
import dev.ktstr.annotations.Sysctl;
import dev.ktstr.runtime.kernel.ProgressSink;
import dev.ktstr.runtime.sched.build.FakeKernel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchedulerSetupTest {

    @Scheduler(name = "ktstr_fixture", binary = "ktstr_fixture", schedArgs = "-v",
            sysctls = @Sysctl(key = "kernel.sched_rr_timeslice_ms", value = "10"), kargs = "nosmt")
    enum FixtureFlag {
        @Flag(args = "--unfair") UNFAIR,
        @Flag(args = {"--stall-after", "1"}) STALL_AFTER
    }

    @Scheduler(name = "x", binary = "scx_x", configFile = "does/not/exist.json")
    enum WithConfig {}

    @TempDir
    Path tmp;

    private SchedulerCatalog catalog(Path dir, FakeKernel fk) {
        return new SchedulerCatalog(Map.of(SchedulerCatalog.KTSTR_SCHEDULER_DIR, dir.toString()), tmp,
                fk.cache(tmp.resolve("cache")));
    }

    @Test
    void aTestsSchedulerIsFoundAndPlanned() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("bin"));
        Path bin = dir.resolve("ktstr_fixture");
        Files.writeString(bin, "#!/bin/sh\n");
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        FakeKernel fk = new FakeKernel(tmp.resolve("k"), 0);
        SchedulerSetup s = SchedulerSetup.forTest(FixtureFlag.class, List.of("stall-after", "UNFAIR"), List.of("-x"),
                Optional.of(Duration.ofSeconds(4)), fk.kernel, catalog(dir, fk), ProgressSink.SILENT).orElseThrow();
        assertEquals(bin, s.binary());
        assertEquals(List.of("-v", "-x", "--unfair", "--stall-after", "1", "--timeout-ms", "4000"), s.launch().args());
        assertEquals("ktstr_fixture", s.launch().opsName());
        assertEquals(Map.of("kernel.sched_rr_timeslice_ms", "10"), s.sysctls());
        assertEquals(List.of("nosmt"), s.kargs());
        assertEquals(0, fk.builds.get(), "found in KTSTR_SCHEDULER_DIR, nothing built");
    }

    @Test
    void theKernelDefaultNeedsNoSetup() throws Exception {
        FakeKernel fk = new FakeKernel(tmp.resolve("k"), 0);
        assertTrue(SchedulerSetup.forTest(KernelDefault.class, List.of(), List.of(), Optional.empty(), fk.kernel,
                catalog(tmp, fk), ProgressSink.SILENT).isEmpty());
    }

    @Test
    void aPlainBinaryTakesLiteralArguments() throws Exception {
        FakeKernel fk = new FakeKernel(tmp.resolve("k"), 0);
        SchedulerSetup s = SchedulerSetup.forBinary("scx_simple", "", List.of("-f"), Optional.empty(), fk.kernel,
                catalog(tmp.resolve("none"), fk), ProgressSink.SILENT);
        assertEquals("simple", s.launch().opsName());
        assertEquals(List.of("-f"), s.launch().args());
        assertEquals(1, fk.builds.get(), "built on demand into the cache");
    }

    @Test
    void aMissingConfigFileFailsBeforeBoot() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("bin"));
        Path bin = dir.resolve("scx_x");
        Files.writeString(bin, "#!/bin/sh\n");
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        FakeKernel fk = new FakeKernel(tmp.resolve("k"), 0);
        SchedulerException e = assertThrows(SchedulerException.class, () -> SchedulerSetup.forTest(WithConfig.class,
                List.of(), List.of(), Optional.empty(), fk.kernel, catalog(dir, fk), ProgressSink.SILENT));
        assertTrue(e.getMessage().startsWith("config file 'does/not/exist.json' of scheduler x not found"),
                e.getMessage());
    }

    @Test
    void expectedFailuresMatchByKind() {
        SchedulerFailure ejected = new SchedulerFailure.Ejected(new ScxExit("x", "runnable task stall", "", true),
                List.of(), "", "");
        assertTrue(SchedulerSetup.satisfies(ExpectedFailure.SCHEDULER_EJECTED, ejected));
        assertTrue(SchedulerSetup.satisfies(ExpectedFailure.ANY, ejected));
        assertFalse(SchedulerSetup.satisfies(ExpectedFailure.SCHEDULER_EXITED, ejected));
    }

    @Test
    void theFixturesBuiltInFlagsAreTheCatalogsAndBecomeItsArguments() throws Exception {
        SchedulerDefinition d = SchedulerDefinition.of(FixtureBuiltInFlag.class);
        assertEquals(dev.ktstr.runtime.scenario.canned.Catalog.FLAGS,
                d.flags().stream().map(SchedulerDefinition.FlagDef::name).toList());
        assertEquals(Optional.of(FixtureBuiltInFlag.class), BuildableScheduler.KTSTR_FIXTURE.knownFlags());
        SchedulerSetup.BinaryFlags f = SchedulerSetup.binaryFlags("path/to/ktstr_fixture",
                List.of("no-ctrl", "REBAL", "steal", "llc"), List.of("--stall-after", "1"));
        assertEquals(List.of("llc", "steal", "rebal", "no-ctrl"), f.names());
        assertEquals(List.of("--stall-after", "1", "--llc-aware", "--steal", "--rebalance-ms", "100", "--no-ctrl"),
                f.args());
        assertTrue(f.named());
        SchedulerException e = assertThrows(SchedulerException.class,
                () -> SchedulerSetup.binaryFlags("ktstr_fixture", List.of("steal"), List.of()));
        assertEquals("flag 'steal' of ktstr_fixture requires 'llc'", e.getMessage());
    }

    @Test
    void aPlainBinarysFlagsAreItsArguments() throws Exception {
        SchedulerSetup.BinaryFlags f = SchedulerSetup.binaryFlags("scx_simple", List.of("-f"), List.of("-v"));
        assertEquals(List.of(), f.names());
        assertEquals(List.of("-v", "-f"), f.args());
        assertFalse(f.named());
        assertEquals(List.of("--timeout-ms", "1"), SchedulerSetup.binaryFlags("ktstr_fixture", List.of(),
                List.of("--timeout-ms", "1")).args(), "no flags: only the extra arguments");
    }
}

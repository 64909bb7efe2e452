package dev.ktstr.runtime.cli.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.runtime.kernel.KernelEnvironment;
import dev.ktstr.runtime.kernel.ProgressSink;
import dev.ktstr.runtime.kernel.ResolvedKernel;
import dev.ktstr.runtime.kernel.KernelResolver;
import dev.ktstr.runtime.kernel.cache.KernelCache;
import dev.ktstr.runtime.kernel.cache.MetadataJson;
import dev.ktstr.runtime.kernel.testing.KernelFixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class KernelCommandTest {

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private KernelEnvironment env() {
        return new KernelEnvironment(Map.of("KTSTR_CACHE_DIR", tmp.resolve("c").toString()), tmp, tmp.resolve("etc"),
                tmp.resolve("boot"), "");
    }

    private int run(String... args) {
        CommandLine cl = new CommandLine(new KernelCommand(env(), ProgressSink.SILENT, Clock.systemUTC()));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private String importFixture(String dir, byte last) throws Exception {
        Path image = KernelFixtures.writeImage(tmp.resolve(dir), "bzImage");
        byte[] b = Files.readAllBytes(image);
        b[b.length - 1] = last;
        Files.write(image, b);
        KernelEnvironment e = env();
        return new KernelResolver(e, new KernelCache(e.kernelCacheRoot()), ProgressSink.SILENT, Clock.systemUTC())
                .resolveSpec(image.toString(), ResolvedKernel.Origin.ENVIRONMENT).cacheKey().orElseThrow();
    }

    @Test
    void everySubcommandHasHelp() {
        for (String sub : List.of("fetch", "build", "list", "clean")) {
            out.getBuffer().setLength(0);
            assertEquals(0, run(sub, "--help"), sub);
            assertTrue(out.toString().contains("Usage: kernel " + sub), out.toString());
        }
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("fetch") && out.toString().contains("clean"));
    }

    @Test
    void listOnAnEmptyCacheSaysHowToFetch() {
        assertEquals(0, run("list"));
        assertTrue(out.toString().contains("./ktstr kernel fetch"), out.toString());
    }

    @Test
    void listShowsFactsAndJsonRoundTrips() throws Exception {
        String key = importFixture("a", (byte) 0);
        Files.createDirectories(tmp.resolve("c/kernels/broken"));
        assertEquals(0, run("list"));
        assertTrue(out.toString().contains(key) && out.toString().contains(KernelFixtures.RELEASE), out.toString());
        assertTrue(out.toString().contains("CORRUPT: metadata.json is missing"), out.toString());
        out.getBuffer().setLength(0);
        assertEquals(0, run("list", "--json", "--verify"));
        List<ListCommand.Row> rows = MetadataJson.readList(out.toString(), ListCommand.Row.class);
        assertEquals(2, rows.size());
        assertEquals("valid", rows.get(0).status());
        assertEquals(key, rows.get(0).metadata().key());
        assertEquals("corrupt", rows.get(1).status());
    }

    @Test
    void cleanIsADryRunWithoutForceAndKeepsTheNewest() throws Exception {
        String older = importFixture("a", (byte) 1);
        Thread.sleep(5);
        String newer = importFixture("b", (byte) 2);
        Files.createDirectories(tmp.resolve("c/kernels/broken"));
        assertEquals(0, run("clean", "--keep", "1"));
        assertTrue(out.toString().contains("would remove " + older) && out.toString().contains("would remove broken"),
                out.toString());
        assertFalse(out.toString().contains("would remove " + newer));
        assertTrue(Files.isDirectory(tmp.resolve("c/kernels").resolve(older)));
        assertEquals(0, run("clean", "--keep", "1", "--force"));
        assertFalse(Files.exists(tmp.resolve("c/kernels").resolve(older)));
        assertFalse(Files.exists(tmp.resolve("c/kernels/broken")));
        assertTrue(Files.isDirectory(tmp.resolve("c/kernels").resolve(newer)));
    }

    @Test
    void cleanCorruptOnlyKeepsValidEntries() throws Exception {
        String key = importFixture("a", (byte) 1);
        Files.createDirectories(tmp.resolve("c/kernels/broken"));
        assertEquals(0, run("clean", "--corrupt-only", "--force"));
        assertTrue(Files.isDirectory(tmp.resolve("c/kernels").resolve(key)));
        assertFalse(Files.exists(tmp.resolve("c/kernels/broken")));
    }

    @Test
    void failuresAreOneLineAndExitOne() {
        assertEquals(KernelCommand.EXIT_FAILED, run("build", "--source", tmp.resolve("nope").toString()));
        assertTrue(err.toString().startsWith("ktstr kernel build: BUILD_FAILED: "), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertEquals(2, run("clean", "--keep", "x"), "bad arguments are usage errors");
    }
}

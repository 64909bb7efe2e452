package dev.ktstr.kvm.initramfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaseCacheTest {

    private static final Path SHM = BaseCache.DEFAULT_DIR;

    @TempDir
    Path tmp;

    private String prefix;
    private final List<BaseCache> caches = new ArrayList<>();
    private final List<Child> children = new ArrayList<>();

    @BeforeEach
    void uniquePrefix() {
        assumeTrue(Files.isDirectory(SHM) && Files.isWritable(SHM), "no writable /dev/shm on this host");
        prefix = "ktstr-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "-";
    }

    @AfterEach
    void nothingLeftInDevShm() throws Exception {
        for (Child c : children) {
            c.kill();
        }
        for (BaseCache c : caches) {
            c.close();
        }
        List<Path> left = leftovers();
        for (Path p : left) {
            Files.deleteIfExists(p);
        }
        assertEquals(List.of(), left, "files left in /dev/shm");
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> s = Files.list(SHM)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
        }
    }

    private BaseCache cache() {
        BaseCache c = new BaseCache(SHM, prefix, Duration.ofMinutes(2), null);
        caches.add(c);
        return c;
    }

    /** An init file of about 2 MiB, half compressible; {@code seed} makes distinct keys. */
    private Path init(int seed) throws IOException {
        Path p = tmp.resolve("init-" + seed);
        Files.write(p, Lz4LegacyOutputStreamTest.sample(2 << 20, seed));
        return p;
    }

    private static BasePlan plan(Path init) throws Exception {
        return BasePlannerTest.planner().plan(BaseSpec.builder(init).build());
    }

    private static byte[] uncached(BasePlan plan) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArchiveWriter.writeBase(plan, out, null);
        return out.toByteArray();
    }

    @Test
    void buildsOnceReusesAndRemovesTheSegmentWhenTheLastUserCloses() throws Exception {
        BasePlan plan = plan(init(1));
        BaseCache a = cache();
        CachedBase first = a.obtain(plan);
        assertTrue(first.builtHere());
        assertSame(first, a.obtain(plan), "one handle per key in one cache");
        assertEquals(a.segmentPath(plan.key()), first.segment());
        assertArrayEquals(uncached(plan), Files.readAllBytes(first.segment()));
        assertEquals(plan.uncompressedSize(), first.uncompressedSize());
        assertEquals(List.of(first.segment()), leftovers(), "the gate is gone once built");

        BaseCache b = cache();
        CachedBase second = b.obtain(plan);
        assertFalse(second.builtHere());
        assertEquals(first.size(), second.size());

        a.close();
        assertTrue(Files.exists(first.segment()), "still held by the second cache");
        b.close();
        assertFalse(Files.exists(first.segment()), "removed with its last user");
        assertThrows(IllegalStateException.class, () -> a.obtain(plan));
    }

    @Test
    void concurrentThreadsAndTwoOtherJvmsBuildExactlyOnce() throws Exception {
        Path init = init(2);
        BasePlan plan = plan(init);
        Child c1 = child("obtain", init);
        Child c2 = child("obtain", init);
        c1.expect("ready");
        c2.expect("ready");

        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<CachedBase>> results = new ArrayList<>();
            BaseCache sharedByTwo = cache();
            for (int i = 0; i < threads; i++) {
                BaseCache own = i < 2 ? sharedByTwo : cache(); // two threads share a cache, two have their own
                results.add(pool.submit(() -> {
                    start.await();
                    return own.obtain(plan);
                }));
            }
            start.countDown();
            c1.send("go");
            c2.send("go");
            int built = 0;
            long size = -1;
            java.util.Set<CachedBase> handles = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            for (Future<CachedBase> f : results) {
                handles.add(f.get(2, TimeUnit.MINUTES));
            }
            assertEquals(3, handles.size(), "one handle per cache");
            for (CachedBase b : handles) {
                built += b.builtHere() ? 1 : 0;
                size = b.size();
            }
            assertSame(results.get(0).get(), results.get(1).get(), "threads of one cache share one handle");
            for (Child c : List.of(c1, c2)) {
                String r = c.expect("result");
                built += r.contains("built=true") ? 1 : 0;
                assertTrue(r.contains("size=" + size), r);
            }
            assertEquals(1, built, "exactly one builder among 3 caches here and 2 other processes");
            assertArrayEquals(uncached(plan), Files.readAllBytes(SHM.resolve(prefix + plan.key())));
            for (Child c : List.of(c1, c2)) {
                c.send("exit");
                c.expect("closed");
                assertEquals(0, c.waitForExit());
            }
        } finally {
            pool.shutdownNow();
        }
        for (BaseCache c : caches) {
            c.close();
        }
        assertEquals(List.of(), leftovers());
    }

    @Test
    void sweepRemovesUnlockedLeftoversButNeverASegmentSomeoneHolds() throws Exception {
        BaseCache holder = cache();
        CachedBase held = holder.obtain(plan(init(3)));
        Path staleSegment = Files.write(SHM.resolve(prefix + "00112233445566778899aabbccddeeff"), new byte[10]);
        Path staleGate = Files.write(SHM.resolve(prefix + "aa.lock"), new byte[0]);
        Path staleTmp = Files.write(SHM.resolve(prefix + "aa.tmp.1.1"), new byte[10]);

        BaseCache other = cache();
        CachedBase mine = other.obtain(plan(init(4))); // building sweeps
        assertTrue(mine.builtHere());
        assertFalse(Files.exists(staleSegment));
        assertFalse(Files.exists(staleGate));
        assertFalse(Files.exists(staleTmp));
        assertTrue(Files.exists(held.segment()), "held by another cache: not stale");
        assertEquals(0, other.sweepStale(), "nothing else to remove");

        Path left = Files.write(SHM.resolve(prefix + "ffeeddccbbaa99887766554433221100"), new byte[10]);
        CachedBase reused = cache().obtain(plan(init(3)));
        assertFalse(reused.builtHere());
        assertFalse(Files.exists(left), "a cache's first obtain sweeps even when it builds nothing");
    }

    @Test
    void aSegmentLeftByAProcessKilledWithSigkillIsReusedOrSweptByTheNextRun() throws Exception {
        Path initA = init(5);
        Child dead = child("obtain-and-hang", initA);
        assertTrue(dead.expect("result").contains("built=true"));
        dead.kill();
        Path segment = SHM.resolve(prefix + plan(initA).key());
        assertTrue(Files.exists(segment), "SIGKILL ran no cleanup");

        CachedBase reused = cache().obtain(plan(initA));
        assertFalse(reused.builtHere(), "same content: the leftover is reused");
        caches.remove(caches.size() - 1).close();
        assertFalse(Files.exists(segment));

        Child dead2 = child("obtain-and-hang", initA);
        dead2.expect("result");
        dead2.kill();
        assertTrue(Files.exists(segment));
        cache().obtain(plan(init(6)));
        assertFalse(Files.exists(segment), "other content: the leftover is swept");
    }

    @Test
    void aBuilderKilledMidBuildBlocksOthersOnlyUntilItDies() throws Exception {
        Path init = init(7);
        BasePlan plan = plan(init);
        Child builder = child("hold-gate", init);
        builder.expect("holding");
        BaseCache cache = cache();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<CachedBase> waiting = pool.submit(() -> cache.obtain(plan));
            Thread.sleep(700);
            assertFalse(waiting.isDone(), "waits while the other builder holds the gate");
            builder.kill();
            CachedBase b = waiting.get(2, TimeUnit.MINUTES);
            assertTrue(b.builtHere(), "the dead builder's partial segment is not trusted");
            assertEquals(List.of(b.segment()), leftovers(), "its gate and partial segment were cleaned up");
            assertArrayEquals(uncached(plan), Files.readAllBytes(b.segment()));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSegmentOwnedByAnotherUserIsRefused() throws Exception {
        assumeTrue(LibC.C.geteuid() == 0, "needs root to create a file owned by another user");
        BasePlan plan = plan(init(8));
        Path planted = Files.write(SHM.resolve(prefix + plan.key()), new byte[] {1, 2, 3});
        UserPrincipal nobody = planted.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("65534");
        Files.setOwner(planted, nobody);
        InitramfsException e = assertThrows(InitramfsException.class, () -> cache().obtain(plan));
        assertTrue(e.getMessage().contains("belongs to uid 65534"), e.getMessage());
        Files.delete(planted);
    }

    private Child child(String mode, Path init) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin",
                "java").toString());
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CacheChild.class.getName(),
                mode, SHM.toString(), prefix, init.toString()).redirectErrorStream(true).start();
        Child c = new Child(p);
        children.add(c);
        return c;
    }

    /** A child JVM whose output lines arrive in a queue. */
    private static final class Child {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuilder transcript = new StringBuilder();
        private final Writer stdin;

        Child(Process process) {
            this.process = process;
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("<output unreadable: " + e + ">");
                }
            }, "cache-child-reader");
            reader.setDaemon(true);
            reader.start();
        }

        String expect(String prefix) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (System.nanoTime() < deadline) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null) {
                    transcript.append(line).append('\n');
                    if (line.startsWith(prefix)) {
                        return line;
                    }
                } else if (!process.isAlive() && lines.isEmpty()) {
                    break;
                }
            }
            throw new AssertionError("child never printed '" + prefix + "'; it said:\n" + transcript);
        }

        void send(String line) throws IOException {
            stdin.write(line + "\n");
            stdin.flush();
        }

        int waitForExit() throws InterruptedException {
            assertTrue(process.waitFor(2, TimeUnit.MINUTES), "child did not exit");
            return process.exitValue();
        }

        /** SIGKILL, as a crashed or killed test run would end. */
        void kill() throws InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
            process.waitFor(1, TimeUnit.MINUTES);
        }
    }
}

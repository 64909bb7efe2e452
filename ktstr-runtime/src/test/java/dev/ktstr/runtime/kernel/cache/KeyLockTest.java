package dev.ktstr.runtime.kernel.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.github.luben.zstd.Zstd;
import dev.ktstr.kvm.elf.ElfFile;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyLockTest {

    @TempDir
    Path tmp;

    @Test
    @SuppressWarnings("try")
    void twoThreadsTakeTheLockOneAfterTheOther() throws Exception {
        KernelCache cache = new KernelCache(tmp);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        Thread first = new Thread(() -> {
            try (KeyLock l = cache.lock("k")) {
                maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                held.countDown();
                release.await();
                inside.decrementAndGet();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        first.start();
        assertTrue(held.await(30, TimeUnit.SECONDS));
        assertTrue(cache.tryLock("k").isEmpty(), "held by another thread");
        assertTrue(cache.tryLock("other").map(l -> {
            closeUnchecked(l);
            return true;
        }).orElse(false), "other keys are independent");
        Thread second = new Thread(() -> {
            try (KeyLock l = cache.lock("k")) {
                maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                inside.decrementAndGet();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        second.start();
        second.join(200);
        assertTrue(second.isAlive(), "the second thread waits for the lock");
        release.countDown();
        first.join(30_000);
        second.join(30_000);
        assertEquals(1, maxInside.get());
        try (KeyLock again = cache.lock("k")) {
            try (KeyLock nested = cache.lock("k")) {
                assertTrue(Files.exists(tmp.resolve(".locks/k.lock")), "re-entry by the holder does not deadlock");
            }
        }
    }

    @Test
    void aLockHeldByAnotherJvmBlocksUntilThatJvmDies() throws Exception {
        KernelCache cache = new KernelCache(tmp);
        Process child = javaChild("hold", tmp.toString(), "k");
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("LOCKED", r.readLine(), "the child JVM took the lock");
            Optional<KeyLock> attempt = cache.tryLock("k");
            assertTrue(attempt.isEmpty(), "this JVM cannot take a lock the other JVM holds");
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        try (KeyLock l = cache.lock("k")) {
            assertTrue(l != null, "the kernel released the dead JVM's lock");
        }
    }

    @Test
    void twoJvmsProvisioningTheSameKeyDownloadOnce() throws Exception {
        Path counter = tmp.resolve("downloads.txt");
        Path root = tmp.resolve("kernels");
        List<Process> children = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                children.add(javaChild("provision", root.toString(), "k", counter.toString()));
            }
            for (Process p : children) {
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(120, TimeUnit.SECONDS));
                assertEquals(0, p.exitValue(), out + new String(p.getErrorStream().readAllBytes(),
                        StandardCharsets.UTF_8));
                assertEquals("ENTRY k", out.strip());
            }
        } finally {
            children.forEach(Process::destroyForcibly);
        }
        assertEquals(1, Files.readAllLines(counter).size(), Files.readString(counter));
        assertEquals(List.of("k"), new KernelCache(root).validEntries().stream().map(CacheEntry::key).toList());
        CacheTestSupport.install(new KernelCache(root), "k", Instant.now());
    }

    private static Process javaChild(String... args) throws IOException {
        String cp = Stream.of(CacheWriterMain.class, KernelCache.class, ElfFile.class, ObjectMapper.class,
                JsonFactory.class, JsonProperty.class, JavaTimeModule.class, Zstd.class)
                .map(CacheTestSupport::classpathOf).map(Path::toString).distinct()
                .collect(Collectors.joining(File.pathSeparator));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", cp, CacheWriterMain.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).start();
    }

    private static void closeUnchecked(KeyLock l) {
        try {
            l.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.ktstr.kvm.initramfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CowMappingTest {

    /** Stands in for the VMM's guest RAM: an anonymous private mapping. */
    private static long anonymous(long bytes) {
        return Pointer.nativeValue(LibC.C.mmap(null, bytes, LibC.PROT_READ | LibC.PROT_WRITE,
                LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS, -1, 0));
    }

    /** A field (in kB) of this process's {@code /proc/self/smaps} entry for the mapping starting at {@code start}. */
    private static long smaps(long start, String field) throws Exception {
        List<String> lines = Files.readAllLines(Path.of("/proc/self/smaps"));
        String head = Long.toHexString(start) + "-";
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(head)) {
                for (int j = i + 1; j < lines.size() && !lines.get(j).matches("^[0-9a-f]+-[0-9a-f]+ .*"); j++) {
                    if (lines.get(j).startsWith(field + ":")) {
                        return Long.parseLong(lines.get(j).replaceAll("[^0-9]", ""));
                    }
                }
            }
        }
        throw new AssertionError("no " + field + " for a mapping at 0x" + Long.toHexString(start) + " in smaps");
    }

    @Test
    void theSegmentAppearsCopyOnWriteAtTheAddressAndWritesStayPrivate(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isWritable(BaseCache.DEFAULT_DIR), "no writable /dev/shm");
        Path init = tmp.resolve("init");
        Files.write(init, Lz4LegacyOutputStreamTest.sample(300_000, 9));
        String prefix = "ktstr-test-cow-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "-";
        long page = CowMapping.pageSize();
        long ramBytes = 64 * page + (1 << 20);
        long ram = anonymous(ramBytes);
        try (BaseCache cache = new BaseCache(BaseCache.DEFAULT_DIR, prefix, Duration.ofMinutes(1), null)) {
            CachedBase base = cache.obtain(BasePlannerTest.planner().plan(BaseSpec.builder(init).build()));
            byte[] file = Files.readAllBytes(base.segment());
            long at = ram + 16 * page; // "the initrd address" inside guest RAM
            new Pointer(ram).setMemory(0, ramBytes, (byte) 0x5a);

            base.mapPrivateFixed(at);
            long mappedKb = (base.size() + page - 1) / page * page / 1024;
            assertEquals(mappedKb, smaps(at, "Rss"), "populated: every page is mapped at once");
            assertEquals(0, smaps(at, "Anonymous"), "no page was copied: all are the segment's own, shared");
            byte[] seen = new byte[file.length];
            new Pointer(at).read(0, seen, 0, seen.length);
            assertArrayEquals(file, seen);
            long mappedEnd = (file.length + page - 1) / page * page;
            byte[] tail = new byte[(int) (mappedEnd - file.length)];
            new Pointer(at).read(file.length, tail, 0, tail.length);
            assertArrayEquals(new byte[tail.length], tail, "the rest of the last page reads as zeros");
            assertEquals((byte) 0x5a, new Pointer(at).getByte(mappedEnd), "RAM past the mapping is untouched");
            assertEquals((byte) 0x5a, new Pointer(at).getByte(-1), "RAM before the mapping is untouched");

            new Pointer(at).setMemory(0, 4096, (byte) 0); // the guest reuses initrd pages after unpacking
            assertEquals(page / 1024, smaps(at, "Anonymous"), "a write copies just the page written");
            new Pointer(at).write(file.length, new byte[] {1, 2, 3}, 0, 3); // the suffix goes right after the base
            assertArrayEquals(file, Files.readAllBytes(base.segment()), "guest writes never reach the segment");

            CowMapping.mapPrivateFixed(base.segment(), at + mappedEnd, base.size()); // by path, as QEMU-less callers do
            byte[] again = new byte[64];
            new Pointer(at + mappedEnd).read(0, again, 0, 64);
            assertArrayEquals(Arrays.copyOf(file, 64), again);

            assertThrows(IllegalArgumentException.class, () -> CowMapping.mapPrivateFixed(base.segment(), at + 1, 100));
            assertThrows(IllegalArgumentException.class,
                    () -> CowMapping.mapPrivateFixed(base.segment(), at, base.size() + 1));
        } finally {
            LibC.C.munmap(new Pointer(ram), ramBytes);
        }
        try (Stream<Path> s = Files.list(BaseCache.DEFAULT_DIR)) {
            assertEquals(0, s.filter(p -> p.getFileName().toString().startsWith(prefix)).count(), "segment removed");
        }
    }
}

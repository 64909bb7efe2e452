package dev.ktstr.kvm.vmm.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Guest RAM over a memfd: GPA addressing across the hole, sharing, loading, and release. */
class GuestRamTest {

    @TempDir
    Path dir;

    @Test
    void readsAndWritesByGuestPhysicalAddress() throws Exception {
        MemoryLayout l = MemoryLayout.of(new long[] {3L << 30, 1L << 30}, 0);
        try (GuestRam ram = GuestRam.allocate(l, "ktstr-test-ram")) {
            assertEquals(4L << 30, ram.ramBytes());
            ram.writeLong(0x1000, 0x1122334455667788L);
            ram.writeLong((4L << 30) + 8, 42);
            assertEquals(0x1122334455667788L, ram.readLong(0x1000));
            assertEquals(42, ram.readLong((4L << 30) + 8));
            assertEquals(42, ram.buffer((4L << 30) + 8, 8).getLong(0), "buffer aliases RAM");
            assertTrue(ram.contains(0, 3L << 30));
            assertFalse(ram.contains(3L << 30, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> ram.readInt(0xFEE00000L));
            assertEquals(ram.hostAddress(0) + (3L << 30), ram.hostAddress(4L << 30), "high RAM follows low in the mapping");
            try (FileChannel ch = FileChannel.open(Path.of(ram.sharePath()), StandardOpenOption.READ)) {
                ByteBuffer b = ByteBuffer.allocate(8);
                ch.read(b, 0x1000);
                assertEquals(0x1122334455667788L, b.flip().order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong());
            }
        }
    }

    @Test
    void loadsFilesAndClearsRanges() throws Exception {
        MemoryLayout l = MemoryLayout.of(new long[] {64L << 20}, 0);
        byte[] data = new byte[10_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        Path f = Files.write(dir.resolve("blob"), data);
        try (GuestRam ram = GuestRam.allocate(l, "ktstr-test-ram"); FileChannel ch = FileChannel.open(f)) {
            ram.load(0x200000, ch, 100, 9_000);
            byte[] back = new byte[9_000];
            ram.read(0x200000, back, 0, back.length);
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 100, 9_100), back);
            ram.clear(0x200000, 16);
            assertEquals(0, ram.readLong(0x200008));
        }
    }

    @Test
    void closedRamRefusesAccess() {
        GuestRam ram = GuestRam.allocate(MemoryLayout.of(new long[] {64L << 20}, 0), "ktstr-test-ram");
        ram.close();
        ram.close();
        assertThrows(IllegalStateException.class, () -> ram.readInt(0));
    }
}

package dev.ktstr.kvm.initramfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.junit.jupiter.api.Test;

class Lz4LegacyOutputStreamTest {

    /** Half text, half random: compressible but not trivially. */
    static byte[] sample(int size, long seed) {
        byte[] b = new byte[size];
        Random r = new Random(seed);
        byte[] words = "sched_ext cgroup cpuset worker ktstr initramfs ".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < size; i++) {
            b[i] = (i / 4096) % 2 == 0 ? words[(i + r.nextInt(3)) % words.length] : (byte) r.nextInt();
        }
        return b;
    }

    static byte[] compress(byte[] data, Lz4Legacy.Level level, int block, ExecutorService ex) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Lz4LegacyOutputStream lz = new Lz4LegacyOutputStream(out, level, block, ex, 3)) {
            // Odd-sized writes cross block boundaries in every possible way.
            int off = 0;
            int step = 1;
            while (off < data.length) {
                int n = Math.min(step, data.length - off);
                lz.write(data, off, n);
                off += n;
                step = step * 3 + 1;
            }
        }
        return out.toByteArray();
    }

    /** Decodes a legacy stream (or several concatenated) the way the kernel's unlz4 does. */
    static byte[] decode(byte[] stream, List<Integer> blockLengths) {
        ByteBuffer b = ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(Lz4Legacy.MAGIC, b.getInt(), "stream starts with the legacy magic");
        LZ4SafeDecompressor d = LZ4Factory.safeInstance().safeDecompressor();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] block = new byte[Lz4Legacy.MAX_BLOCK];
        while (b.remaining() >= 4) {
            int len = b.getInt();
            if (len == Lz4Legacy.MAGIC) {
                continue;
            }
            int n = d.decompress(stream, b.position(), len, block, 0, block.length);
            blockLengths.add(n);
            out.write(block, 0, n);
            b.position(b.position() + len);
        }
        assertEquals(0, b.remaining(), "no trailing bytes");
        return out.toByteArray();
    }

    @Test
    void blocksAreLengthPrefixedAndAllButTheLastHoldExactlyTheBlockSize() throws IOException {
        byte[] data = sample(100_000, 1);
        byte[] stream = compress(data, Lz4Legacy.Level.FAST, 16_384, null);
        List<Integer> lengths = new ArrayList<>();
        assertArrayEquals(data, decode(stream, lengths));
        assertEquals(7, lengths.size());
        for (int i = 0; i < 6; i++) {
            assertEquals(16_384, lengths.get(i));
        }
        assertEquals(100_000 - 6 * 16_384, lengths.get(6));
    }

    @Test
    void parallelCompressionWritesTheSameBytesAsSequential() throws IOException {
        byte[] data = sample(300_000, 2);
        ExecutorService ex = Executors.newFixedThreadPool(2);
        try {
            for (Lz4Legacy.Level level : Lz4Legacy.Level.values()) {
                assertArrayEquals(compress(data, level, 20_000, null), compress(data, level, 20_000, ex), level.name());
            }
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void emptyInputIsJustTheMagicAndIncompressibleInputStillRoundTrips() throws IOException {
        assertArrayEquals(new byte[] {0x02, 0x21, 0x4c, 0x18}, compress(new byte[0], Lz4Legacy.Level.FAST, 1024, null));
        byte[] random = new byte[50_000];
        new Random(3).nextBytes(random);
        assertArrayEquals(random, decode(compress(random, Lz4Legacy.Level.HIGH, 8192, null), new ArrayList<>()));
    }

    @Test
    void rejectsBlocksLargerThanTheKernelDecodes() {
        assertThrows(IllegalArgumentException.class,
                () -> new Lz4LegacyOutputStream(new ByteArrayOutputStream(), Lz4Legacy.Level.FAST,
                        Lz4Legacy.MAX_BLOCK + 1, null, 1));
    }

    @Test
    void lz4CommandLineDecodesOneStreamAndTwoConcatenatedStreams() throws Exception {
        var lz4 = HostTools.require("lz4", "lz4");
        byte[] base = sample(Lz4Legacy.MAX_BLOCK + 123_457, 4); // two blocks, the first a full 8 MiB
        byte[] suffix = sample(512, 5);
        byte[] s1 = compress(base, Lz4Legacy.Level.FAST, Lz4Legacy.MAX_BLOCK, null);
        byte[] s2 = compress(suffix, Lz4Legacy.Level.FAST, Lz4Legacy.MAX_BLOCK, null);

        HostTools.Result one = HostTools.run(List.of(lz4.toString(), "-d", "-c"), s1);
        assertEquals(0, one.exit(), one.stderr());
        assertArrayEquals(base, one.stdout());

        byte[] both = new byte[s1.length + s2.length];
        System.arraycopy(s1, 0, both, 0, s1.length);
        System.arraycopy(s2, 0, both, s1.length, s2.length);
        HostTools.Result two = HostTools.run(List.of(lz4.toString(), "-d", "-c"), both);
        assertEquals(0, two.exit(), two.stderr());
        byte[] expected = new byte[base.length + suffix.length];
        System.arraycopy(base, 0, expected, 0, base.length);
        System.arraycopy(suffix, 0, expected, base.length, suffix.length);
        assertArrayEquals(expected, two.stdout());
    }

    @Test
    void whatTheLz4CommandCompressesInLegacyModeWeDecodeTheSameWay() throws Exception {
        var lz4 = HostTools.require("lz4", "lz4");
        byte[] data = sample(200_000, 6);
        HostTools.Result r = HostTools.run(List.of(lz4.toString(), "-l", "-c"), data);
        assertEquals(0, r.exit(), r.stderr());
        assertArrayEquals(data, decode(r.stdout(), new ArrayList<>()), "the test decoder agrees with lz4 -l");
    }
}

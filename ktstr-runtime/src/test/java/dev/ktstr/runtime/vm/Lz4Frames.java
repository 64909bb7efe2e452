package dev.ktstr.runtime.vm;

import dev.ktstr.kvm.initramfs.Lz4Legacy;
import dev.ktstr.kvm.initramfs.Lz4LegacyOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/** Test helper: LZ4 legacy streams in and out of memory. */
final class Lz4Frames {

    private Lz4Frames() {}

    static byte[] decompress(byte[] stream) {
        ByteBuffer b = ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN);
        LZ4SafeDecompressor d = LZ4Factory.fastestInstance().safeDecompressor();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] block = new byte[Lz4Legacy.MAX_BLOCK];
        while (b.remaining() >= 4) {
            int len = b.getInt();
            if (len == Lz4Legacy.MAGIC) {
                continue;
            }
            int n = d.decompress(stream, b.position(), len, block, 0, block.length);
            out.write(block, 0, n);
            b.position(b.position() + len);
        }
        return out.toByteArray();
    }

    /**
     * The newc archive without its last member before the trailer (SVR4 cpio "newc": 110-byte ASCII
     * header, name and data each padded to 4 bytes), ending in a fresh trailer.
     */
    static byte[] withoutLastMember(byte[] cpio) {
        java.util.List<Integer> starts = new java.util.ArrayList<>();
        int off = 0;
        while (true) {
            String h = new String(cpio, off, 110, java.nio.charset.StandardCharsets.US_ASCII);
            int fileSize = Integer.parseInt(h.substring(54, 62), 16);
            int nameSize = Integer.parseInt(h.substring(94, 102), 16);
            String name = new String(cpio, off + 110, nameSize - 1, java.nio.charset.StandardCharsets.US_ASCII);
            if (name.equals("TRAILER!!!")) {
                break;
            }
            starts.add(off);
            off += align4(110 + nameSize) + align4(fileSize);
        }
        int cut = starts.get(starts.size() - 1);
        String trailer = "070701" + "0".repeat(8 * 4) + "00000001" + "0".repeat(8 * 6) + "0000000B" + "00000000";
        byte[] t = (trailer + "TRAILER!!!\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] out = java.util.Arrays.copyOf(cpio, cut + align4(t.length) + 512);
        System.arraycopy(t, 0, out, cut, t.length);
        return out;
    }

    private static int align4(int v) {
        return (v + 3) & ~3;
    }

    static byte[] compress(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Lz4LegacyOutputStream z = new Lz4LegacyOutputStream(out, Lz4Legacy.Level.FAST)) {
            z.write(data);
        }
        return out.toByteArray();
    }
}

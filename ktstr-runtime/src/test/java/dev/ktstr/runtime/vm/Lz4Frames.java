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

    static byte[] compress(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Lz4LegacyOutputStream z = new Lz4LegacyOutputStream(out, Lz4Legacy.Level.FAST)) {
            z.write(data);
        }
        return out.toByteArray();
    }
}

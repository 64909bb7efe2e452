package dev.ktstr.kvm.vmm.boot;

import dev.ktstr.kvm.engine.InitramfsPart;
import dev.ktstr.kvm.vmm.memory.GuestRam;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** The plain {@link InitramfsLoader}: reads file parts and copies byte parts straight into guest RAM. */
public final class CopyingInitramfsLoader implements InitramfsLoader {

    @Override
    public long load(GuestRam ram, long gpa, List<InitramfsPart> parts) throws IOException {
        long at = gpa;
        for (InitramfsPart part : parts) {
            if (part instanceof InitramfsPart.FilePart f) {
                loadFile(ram, at, f);
            } else if (part instanceof InitramfsPart.BytesPart b) {
                loadBytes(ram, at, b.bytes().duplicate());
            }
            at += part.size();
        }
        return at - gpa;
    }

    private static void loadFile(GuestRam ram, long gpa, InitramfsPart.FilePart f) throws IOException {
        try (FileChannel ch = FileChannel.open(f.path(), StandardOpenOption.READ)) {
            if (ch.size() < f.size()) {
                throw new IOException(f.path() + " has " + ch.size() + " bytes, the part says " + f.size());
            }
            ram.load(gpa, ch, 0, f.size());
        }
    }

    private static void loadBytes(GuestRam ram, long gpa, ByteBuffer src) {
        byte[] chunk = new byte[Math.min(src.remaining(), 1 << 20)];
        long off = gpa;
        while (src.hasRemaining()) {
            int n = Math.min(chunk.length, src.remaining());
            src.get(chunk, 0, n);
            ram.write(off, chunk, 0, n);
            off += n;
        }
    }
}

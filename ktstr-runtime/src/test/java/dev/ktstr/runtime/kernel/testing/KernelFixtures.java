package dev.ktstr.runtime.kernel.testing;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Synthetic kernels for tests, built in memory: a tiny x86-64 ELF "vmlinux" (optionally with a
 * {@code .BTF} section, a Xen PVH entry note and a {@code linux_banner}), and a bzImage wrapping a
 * payload with the real setup-header layout of the x86 boot protocol.
 */
public final class KernelFixtures {

    public static final String RELEASE = "7.9.9-ktstr-test";

    private KernelFixtures() {}

    /** A minimal ELF64 x86-64 executable with the requested features. */
    public static byte[] elf(boolean btf, boolean pvh) {
        return elf(btf, pvh, 62);
    }

    public static byte[] elf(boolean btf, boolean pvh, int machine) {
        // Layout: ehdr(64) | phdr(56) | note | banner | .BTF data | shstrtab | section headers
        ByteBuffer note = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        note.putInt(4).putInt(8).putInt(18).put("Xen\0".getBytes(StandardCharsets.US_ASCII)).putLong(0x1000000L);
        byte[] noteBytes = pvh ? java.util.Arrays.copyOf(note.array(), note.position()) : new byte[0];
        byte[] banner = ("Linux version " + RELEASE + " (test@ktstr) #1 SMP\0").getBytes(StandardCharsets.US_ASCII);
        byte[] btfData = btf ? new byte[] {(byte) 0x9f, (byte) 0xeb, 1, 0, 24, 0, 0, 0} : new byte[0];
        byte[] shstr = "\0.BTF\0.shstrtab\0.rodata\0".getBytes(StandardCharsets.US_ASCII);
        int phoff = 64;
        int noteOff = phoff + 56;
        int bannerOff = noteOff + noteBytes.length;
        int btfOff = bannerOff + banner.length;
        int shstrOff = btfOff + btfData.length;
        int shoff = (shstrOff + shstr.length + 7) & ~7;
        int shnum = btf ? 4 : 3;
        ByteBuffer b = ByteBuffer.allocate(shoff + 64 * shnum).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        b.position(16);
        b.putShort((short) 2).putShort((short) machine).putInt(1).putLong(0x1000000L).putLong(phoff).putLong(shoff)
                .putInt(0).putShort((short) 64).putShort((short) 56).putShort((short) 1).putShort((short) 64)
                .putShort((short) shnum).putShort((short) 1);
        b.position(phoff);
        b.putInt(4).putInt(4).putLong(noteOff).putLong(0).putLong(0).putLong(noteBytes.length)
                .putLong(noteBytes.length).putLong(4);
        b.position(noteOff);
        b.put(noteBytes).put(banner).put(btfData).put(shstr);
        b.position(shoff + 64); // section 0 is SHN_UNDEF
        section(b, 6, 3, shstrOff, shstr.length); // .shstrtab (index 1)
        section(b, 16, 1, bannerOff, banner.length); // .rodata
        if (btf) {
            section(b, 1, 1, btfOff, btfData.length); // .BTF
        }
        return b.array();
    }

    private static void section(ByteBuffer b, int nameOff, int type, long off, long size) {
        b.putInt(nameOff).putInt(type).putLong(0).putLong(0).putLong(off).putLong(size).putInt(0).putInt(0)
                .putLong(1).putLong(0);
    }

    /** Compression for {@link #bzImage}. */
    public enum Payload { GZIP, ZSTD, XZ_MAGIC, GARBAGE }

    /** A bzImage (protocol 2.15) whose payload is {@code elf} compressed as asked. */
    public static byte[] bzImage(byte[] elf, Payload kind) {
        byte[] payload = switch (kind) {
            case GZIP -> gzip(elf);
            case ZSTD -> withSizeTrailer(Zstd.compress(elf, 3), elf.length);
            case XZ_MAGIC -> withSizeTrailer(new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0, 1, 2, 3}, elf.length);
            case GARBAGE -> withSizeTrailer(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, elf.length);
        };
        int setupSects = 3;
        int pmStart = (setupSects + 1) * 512;
        int payloadOffset = 0x100;
        ByteBuffer b = ByteBuffer.allocate(pmStart + payloadOffset + payload.length + 64).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0x1f1, (byte) setupSects);
        b.putShort(0x1fe, (short) 0xaa55);
        b.putInt(0x202, 0x53726448);
        b.putShort(0x206, (short) 0x020f);
        int kv = 0x600;
        b.putShort(0x20e, (short) (kv - 0x200));
        byte[] version = (RELEASE + " (test@ktstr) #1 SMP\0").getBytes(StandardCharsets.US_ASCII);
        b.put(kv, version);
        b.putInt(0x248, payloadOffset);
        b.putInt(0x24c, payload.length);
        b.put(pmStart + payloadOffset, payload);
        return b.array();
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    private static byte[] withSizeTrailer(byte[] stream, int size) {
        byte[] out = java.util.Arrays.copyOf(stream, stream.length + 4);
        ByteBuffer.wrap(out, stream.length, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(size);
        return out;
    }

    /** A kernel config with sched_ext on and the given HZ. */
    public static String config(boolean schedExt, int hz) {
        return "#\n# Linux/x86 " + RELEASE + " Kernel Configuration\n#\nCONFIG_HZ=" + hz + "\n"
                + (schedExt ? "CONFIG_SCHED_CLASS_EXT=y\n" : "# CONFIG_SCHED_CLASS_EXT is not set\n")
                + "CONFIG_DEBUG_INFO_BTF=y\n";
    }

    /** Writes a good bzImage (zstd, BTF, PVH) and returns its path. */
    public static Path writeImage(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path p = dir.resolve(name);
        Files.write(p, bzImage(elf(true, true), Payload.ZSTD));
        return p;
    }
}

package dev.ktstr.kvm.vmm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A minimal uncompressed cpio "newc" archive (Documentation/driver-api/early-userspace/
 * buffer-format.rst) holding /dev/console and the test's /init, for booting a real kernel without the
 * project's initramfs builder.
 */
final class TestInitramfs {

    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFCHR = 0020000;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int ino = 1;

    private TestInitramfs() {}

    static byte[] withInit(Path init) throws java.io.IOException {
        TestInitramfs c = new TestInitramfs();
        c.entry("dev", S_IFDIR | 0755, 0, 0, new byte[0]);
        c.entry("dev/console", S_IFCHR | 0600, 5, 1, new byte[0]);
        c.entry("init", S_IFREG | 0755, 0, 0, Files.readAllBytes(init));
        c.entry("TRAILER!!!", 0, 0, 0, new byte[0]);
        return c.out.toByteArray();
    }

    private void entry(String name, int mode, int rdevMajor, int rdevMinor, byte[] data) {
        byte[] n = (name + "\0").getBytes(StandardCharsets.US_ASCII);
        StringBuilder h = new StringBuilder("070701");
        int[] fields = {ino++, mode, 0, 0, 1, 0, data.length, 0, 0, rdevMajor, rdevMinor, n.length, 0};
        for (int f : fields) {
            h.append(String.format("%08x", f));
        }
        out.writeBytes(h.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(n);
        pad();
        out.writeBytes(data);
        pad();
    }

    private void pad() {
        while (out.size() % 4 != 0) {
            out.write(0);
        }
    }
}

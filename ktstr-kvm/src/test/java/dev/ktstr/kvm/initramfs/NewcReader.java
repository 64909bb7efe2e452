package dev.ktstr.kvm.initramfs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An independent newc parser for tests, written from the kernel's buffer-format.rst: it checks
 * every alignment rule as it goes and fails with the offset of the first violation.
 */
final class NewcReader {

    record Member(long offset, long ino, int mode, int uid, int gid, int nlink, long mtime, int rdevMajor,
            int rdevMinor, String name, byte[] data) {
        int type() {
            return mode & 0170000;
        }
    }

    private NewcReader() {}

    /** Parses members up to and including the trailer; returns them and checks only NULs follow. */
    static List<Member> parse(byte[] a) {
        List<Member> out = new ArrayList<>();
        int p = 0;
        for (;;) {
            if (p % 4 != 0) {
                throw new AssertionError("header at " + p + " is not 4-aligned");
            }
            String magic = new String(a, p, 6, StandardCharsets.US_ASCII);
            if (!magic.equals("070701")) {
                throw new AssertionError("bad magic '" + magic + "' at " + p);
            }
            long[] f = new long[13];
            for (int i = 0; i < 13; i++) {
                String hex = new String(a, p + 6 + 8 * i, 8, StandardCharsets.US_ASCII);
                if (!hex.matches("[0-9A-F]{8}")) {
                    throw new AssertionError("field " + i + " '" + hex + "' at " + p + " is not 8 upper-case hex digits");
                }
                f[i] = Long.parseLong(hex, 16);
            }
            int nameSize = (int) f[11];
            int nameStart = p + 110;
            if (a[nameStart + nameSize - 1] != 0) {
                throw new AssertionError("name at " + nameStart + " is not NUL-terminated");
            }
            String name = new String(a, nameStart, nameSize - 1, StandardCharsets.UTF_8);
            int dataStart = align4(nameStart + nameSize);
            for (int i = nameStart + nameSize; i < dataStart; i++) {
                if (a[i] != 0) {
                    throw new AssertionError("name padding at " + i + " is not NUL");
                }
            }
            int size = (int) f[6];
            byte[] data = Arrays.copyOfRange(a, dataStart, dataStart + size);
            int next = align4(dataStart + size);
            for (int i = dataStart + size; i < next; i++) {
                if (a[i] != 0) {
                    throw new AssertionError("data padding at " + i + " is not NUL");
                }
            }
            if (f[12] != 0) {
                throw new AssertionError("check field of " + name + " is not 0");
            }
            out.add(new Member(p, f[0], (int) f[1], (int) f[2], (int) f[3], (int) f[4], f[5], (int) f[9], (int) f[10],
                    name, data));
            p = next;
            if (name.equals("TRAILER!!!")) {
                for (int i = p; i < a.length; i++) {
                    if (a[i] != 0) {
                        throw new AssertionError("non-NUL byte after the trailer at " + i);
                    }
                }
                return out;
            }
        }
    }

    private static int align4(int v) {
        return (v + 3) & ~3;
    }
}

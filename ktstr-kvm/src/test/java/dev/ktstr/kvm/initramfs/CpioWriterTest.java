package dev.ktstr.kvm.initramfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpioWriterTest {

    private static byte[] write(List<CpioEntry> entries, long firstInode, int pad) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArchiveWriter.writeCpio(entries, out, firstInode, pad);
        return out.toByteArray();
    }

    private static String header(long ino, int mode, int nlink, long size, int rmaj, int rmin, int nameSize) {
        return String.format("070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", ino, mode, 0, 0, nlink, 0,
                size, 0, 0, rmaj, rmin, nameSize, 0);
    }

    @Test
    void regularFileHeaderNameAndDataAreByteExactWithNulPadding() throws IOException {
        byte[] a = write(List.of(new CpioEntry.RegularFile("/init", 0755,
                FileContent.Bytes.of("hello".getBytes(StandardCharsets.US_ASCII)))), 1, 4);
        // 110-byte header, "init\0" (5) → 115, padded to 116; "hello" (5) → 121, padded to 124.
        String expected = header(1, 0100755, 1, 5, 0, 0, 5) + "init\0" + "\0" + "hello" + "\0\0\0"
                + header(0, 0, 1, 0, 0, 0, 11) + "TRAILER!!!\0" + "\0\0\0"; // 121 → 124
        assertEquals(expected, new String(a, StandardCharsets.ISO_8859_1));
        assertEquals(124 + 124, a.length);
    }

    @Test
    void directorySymlinkAndDeviceHeadersFollowTheSpec() throws IOException {
        byte[] a = write(List.of(new CpioEntry.Directory("/dev", 0755),
                new CpioEntry.CharDevice("/dev/console", 0600, 5, 1),
                new CpioEntry.Symlink("/sh", "busybox")), 7, 4);
        String s = new String(a, StandardCharsets.ISO_8859_1);
        String dir = header(7, 0040755, 2, 0, 0, 0, 4) + "dev\0"; // 114 → 116
        String dev = header(8, 0020600, 1, 0, 5, 1, 12) + "dev/console\0" + "\0\0"; // 122 → 124
        String link = header(9, 0120777, 1, 7, 0, 0, 3) + "sh\0" + "\0\0\0" + "busybox" + "\0"; // 113 → 116, 7 → 8
        String expected = dir + "\0\0" + dev + link + header(0, 0, 1, 0, 0, 0, 11) + "TRAILER!!!\0\0\0\0";
        assertEquals(expected, s);
    }

    @Test
    void finishPadsTheWholeArchiveTo512WithNuls() throws IOException {
        byte[] a = write(List.of(new CpioEntry.RegularFile("/ktstr/args", 0644, FileContent.Bytes.of(new byte[3]))),
                0x4000_0000L, 512);
        assertEquals(512, a.length);
        List<NewcReader.Member> m = NewcReader.parse(a);
        assertEquals(0x4000_0000L, m.get(0).ino());
        assertEquals("TRAILER!!!", m.get(1).name());
    }

    @Test
    void everyNameAndDataLengthKeepsHeadersFourByteAligned() throws IOException {
        Random rnd = new Random(42);
        List<CpioEntry> entries = new ArrayList<>();
        for (int nameLen = 1; nameLen <= 9; nameLen++) {
            for (int size = 0; size <= 9; size++) {
                byte[] data = new byte[size];
                rnd.nextBytes(data);
                entries.add(new CpioEntry.RegularFile("/" + "n".repeat(nameLen) + size, 0640, FileContent.Bytes.of(data)));
            }
        }
        byte[] a = write(entries, 1, 4);
        List<NewcReader.Member> members = NewcReader.parse(a);
        assertEquals(entries.size() + 1, members.size());
        for (int i = 0; i < entries.size(); i++) {
            CpioEntry.RegularFile f = (CpioEntry.RegularFile) entries.get(i);
            NewcReader.Member m = members.get(i);
            assertEquals(f.path().substring(1), m.name());
            assertArrayEquals(((FileContent.Bytes) f.content()).data(), m.data());
            assertEquals(0100640, m.mode());
            assertEquals(i + 1, m.ino(), "inodes count up in write order");
            assertEquals(0, m.mtime());
        }
        assertEquals(a.length, BasePlan.newcSize(entries, 4), "planned size equals the bytes written");
    }

    @Test
    void hostFilesAreStreamedAndCheckedAgainstThePlannedDigest(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("data");
        Files.write(f, "original".getBytes(StandardCharsets.US_ASCII));
        FileContent.HostFile planned = new ContentHasher().hash(f.toRealPath());
        byte[] a = write(List.of(new CpioEntry.RegularFile("/data", 0644, planned)), 1, 4);
        assertArrayEquals("original".getBytes(StandardCharsets.US_ASCII), NewcReader.parse(a).get(0).data());

        Files.write(f, "changed!".getBytes(StandardCharsets.US_ASCII)); // same size, new bytes
        IOException e = assertThrows(IOException.class,
                () -> write(List.of(new CpioEntry.RegularFile("/data", 0644, planned)), 1, 4));
        assertTrue(e.getMessage().contains("changed after it was planned"), e.getMessage());
    }

    @Test
    void rejectsPathsThatAreNotAbsoluteAndNormalised() {
        for (String bad : List.of("init", "/", "/a//b", "/a/", "/a/../b", "/./a")) {
            assertThrows(IllegalArgumentException.class, () -> new CpioEntry.Directory(bad, 0755), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> new CpioEntry.Directory("/a", 010000));
    }

    @Test
    void gnuCpioListsAndExtractsWhatWeWrite(@TempDir Path tmp) throws Exception {
        Path cpio = HostTools.require("cpio", "cpio");
        byte[] a = write(List.of(new CpioEntry.Directory("/bin", 0755),
                new CpioEntry.RegularFile("/bin/tool", 0750, FileContent.Bytes.of("#!/bin/sh\necho hi\n".getBytes(
                        StandardCharsets.US_ASCII))),
                new CpioEntry.Symlink("/bin/alias", "tool"),
                new CpioEntry.Directory("/empty", 0700),
                new CpioEntry.RegularFile("/zero", 0600, FileContent.Bytes.of(new byte[0]))), 1, 4);
        HostTools.Result list = HostTools.run(List.of(cpio.toString(), "-t", "--quiet"), a);
        assertEquals(0, list.exit(), list.stderr());
        assertEquals(List.of("bin", "bin/tool", "bin/alias", "empty", "zero"), list.out().lines().toList());

        Path root = Files.createDirectory(tmp.resolve("root"));
        HostTools.Result x = HostTools.run(List.of(cpio.toString(), "-i", "--quiet", "--no-absolute-filenames",
                "--make-directories"), a, root, null, 60);
        assertEquals(0, x.exit(), x.stderr());
        assertEquals("#!/bin/sh\necho hi\n", Files.readString(root.resolve("bin/tool")));
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("bin/tool"))));
        assertEquals(Path.of("tool"), Files.readSymbolicLink(root.resolve("bin/alias")));
        assertTrue(Files.isDirectory(root.resolve("empty"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(0, Files.size(root.resolve("zero")));
    }
}

package dev.ktstr.kvm.initramfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BasePlannerTest {

    static BasePlanner planner() {
        return new BasePlanner(new SharedLibraryResolver(SharedLibraryResolver.Config.system().withLdLibraryPath("")),
                List.of("/usr/local/bin", "/usr/bin", "/bin"));
    }

    static Map<String, CpioEntry> byPath(BasePlan plan) {
        Map<String, CpioEntry> m = new HashMap<>();
        plan.entries().forEach(e -> m.put(e.path(), e));
        return m;
    }

    static Path script(Path dir, String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void aDynamicInitBringsItsInterpreterAndLibrariesAndTheMarkerComesLast() throws Exception {
        BasePlan plan = planner().plan(BaseSpec.builder(Path.of("/bin/ls")).build());
        Map<String, CpioEntry> m = byPath(plan);
        CpioEntry.RegularFile init = (CpioEntry.RegularFile) m.get("/init");
        assertEquals(0755, init.permissions());
        assertEquals(Files.size(Path.of("/bin/ls")), init.content().size());

        String interpReal = Path.of("/lib64/ld-linux-x86-64.so.2").toRealPath().toString();
        assertEquals(new CpioEntry.Symlink("/lib64/ld-linux-x86-64.so.2", interpReal), m.get("/lib64/ld-linux-x86-64.so.2"));
        assertTrue(m.get(interpReal) instanceof CpioEntry.RegularFile, "interpreter bytes at its real path");
        CpioEntry libc = m.get("/lib/x86_64-linux-gnu/libc.so.6");
        String libcReal = Path.of("/lib/x86_64-linux-gnu/libc.so.6").toRealPath().toString();
        if (!libcReal.equals("/lib/x86_64-linux-gnu/libc.so.6")) {
            assertEquals(new CpioEntry.Symlink("/lib/x86_64-linux-gnu/libc.so.6", libcReal), libc);
        }
        assertTrue(m.get(libcReal) instanceof CpioEntry.RegularFile);

        for (CpioEntry.Directory d : InitramfsLayout.DIRECTORIES) {
            assertEquals(d, m.get(d.path()));
        }
        assertEquals(InitramfsLayout.CONSOLE, m.get("/dev/console"));
        CpioEntry last = plan.entries().get(plan.entries().size() - 1);
        assertEquals(InitramfsLayout.MARKER, last.path());
        assertEquals("ktstr-base " + plan.key() + "\n", new String(
                ((FileContent.Bytes) ((CpioEntry.RegularFile) last).content()).data(), StandardCharsets.US_ASCII));
        assertTrue(plan.key().matches("[0-9a-f]{32}"), plan.key());

        List<String> seen = new ArrayList<>();
        for (CpioEntry e : plan.entries()) {
            String parent = ArchivePaths.parent(e.path());
            assertTrue(parent == null || seen.contains(parent), e.path() + " comes before its directory");
            if (e instanceof CpioEntry.Directory) {
                seen.add(e.path());
            }
        }
    }

    @Test
    void theKeyDependsOnContentNotOnWhereOrWhenInputsWereWritten(@TempDir Path tmp) throws Exception {
        Path a = script(tmp, "a", "#!/bin/sh\necho one\n");
        Path b = script(tmp, "b", "#!/bin/sh\necho one\n");
        Path c = script(tmp, "c", "#!/bin/sh\necho two\n");
        String ka = planner().plan(BaseSpec.builder(a).build()).key();
        assertEquals(ka, planner().plan(BaseSpec.builder(b).build()).key(), "same bytes, other file: same key");
        assertNotEquals(ka, planner().plan(BaseSpec.builder(c).build()).key());
        assertNotEquals(ka, planner().plan(BaseSpec.builder(a).level(Lz4Legacy.Level.HIGH).build()).key());
        assertNotEquals(ka, planner().plan(BaseSpec.builder(a).directory("/extra").build()).key());

        BasePlanner p = planner();
        String before = p.plan(BaseSpec.builder(a).build()).key();
        Files.writeString(a, "#!/bin/sh\necho ONE\n"); // same size, new bytes: the memo must notice
        assertNotEquals(before, p.plan(BaseSpec.builder(a).build()).key());
    }

    @Test
    void writingAPlanTwiceGivesIdenticalBytes(@TempDir Path tmp) throws Exception {
        Path init = script(tmp, "init", "#!/bin/sh\n");
        BaseSpec spec = BaseSpec.builder(init).include("/bin/true").build();
        ByteArrayOutputStream one = new ByteArrayOutputStream();
        ByteArrayOutputStream two = new ByteArrayOutputStream();
        ArchiveWriter.writeBase(planner().plan(spec), one, null);
        ArchiveWriter.writeBase(planner().plan(spec), two, null);
        assertArrayEquals(one.toByteArray(), two.toByteArray());
    }

    @Test
    void includesResolveBareNamesOnPathAndCopyDirectoriesWithTheirSymlinks(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("conf/sub"));
        Files.writeString(dir.resolve("x.txt"), "x");
        Files.createSymbolicLink(tmp.resolve("conf/link"), Path.of("sub/x.txt"));
        Path init = script(tmp, "init", "#!/bin/sh\n");
        BasePlan plan = planner().plan(BaseSpec.builder(init).include("true").include(tmp.resolve("conf").toString())
                .include(tmp.resolve("conf/sub/x.txt").toString(), "/etc/x.conf").build());
        Map<String, CpioEntry> m = byPath(plan);
        assertTrue(m.get("/include-files/true") instanceof CpioEntry.RegularFile, m.keySet().toString());
        assertTrue(m.get("/include-files/conf") instanceof CpioEntry.Directory);
        assertTrue(m.get("/include-files/conf/sub/x.txt") instanceof CpioEntry.RegularFile);
        assertEquals(new CpioEntry.Symlink("/include-files/conf/link", "sub/x.txt"), m.get("/include-files/conf/link"));
        assertTrue(m.get("/etc/x.conf") instanceof CpioEntry.RegularFile);
        assertTrue(m.containsKey("/lib64/ld-linux-x86-64.so.2"), "true is dynamic: its closure came along");

        InitramfsException e = assertThrows(InitramfsException.class,
                () -> planner().plan(BaseSpec.builder(init).include("no-such-command-ktstr").build()));
        assertTrue(e.getMessage().contains("no executable of that name on PATH"), e.getMessage());
    }

    @Test
    void twoDifferentFilesAtOnePathIsAConflictNamingBoth(@TempDir Path tmp) throws Exception {
        Path init = script(tmp, "init", "#!/bin/sh\n");
        Path one = script(tmp, "one", "1");
        Path two = script(tmp, "two", "2");
        InitramfsException e = assertThrows(InitramfsException.class, () -> planner().plan(BaseSpec.builder(init)
                .include(one.toString(), "/etc/f").include(two.toString(), "/etc/f").build()));
        assertTrue(e.getMessage().contains("claimed twice") && e.getMessage().contains(one.toString())
                && e.getMessage().contains(two.toString()), e.getMessage());
        InitramfsException under = assertThrows(InitramfsException.class, () -> planner().plan(BaseSpec.builder(init)
                .include(one.toString(), "/etc/f").include(two.toString(), "/etc/f/g").build()));
        assertTrue(under.getMessage().contains("not a directory"), under.getMessage());
    }

    @Test
    void anOriginDependentIncludeSitsAtItsRealPathBehindASymlink(@TempDir Path tmp) throws Exception {
        NativeFixtures f = NativeFixtures.build(tmp);
        Path init = script(tmp, "init", "#!/bin/sh\n");
        BasePlan plan = planner().plan(BaseSpec.builder(init).include(f.app.toString()).build());
        Map<String, CpioEntry> m = byPath(plan);
        String real = f.app.toRealPath().toString();
        assertEquals(new CpioEntry.Symlink("/include-files/app", real), m.get("/include-files/app"));
        assertTrue(m.get(real) instanceof CpioEntry.RegularFile);
        String lib = f.lib.toRealPath().toString();
        assertEquals(new CpioEntry.Symlink(lib + "/libfoo.so.1", lib + "/libfoo.so.1.0"), m.get(lib + "/libfoo.so.1"));
        assertTrue(m.get(lib + "/libbar.so") instanceof CpioEntry.RegularFile);
    }

    @Test
    void busyboxComesWithASymlinkPerApplet() throws Exception {
        Path bb = Path.of("/bin/busybox");
        assumeTrue(Files.isExecutable(bb), "no /bin/busybox (Debian package busybox-static)");
        BasePlan plan = planner().plan(BaseSpec.builder(Path.of("/bin/true")).busybox(bb).build());
        Map<String, CpioEntry> m = byPath(plan);
        assertEquals(0755, m.get("/bin/busybox").permissions());
        assertEquals(new CpioEntry.Symlink("/bin/sh", "busybox"), m.get("/bin/sh"));
        assertEquals(new CpioEntry.Symlink("/bin/mount", "busybox"), m.get("/bin/mount"));
        assertFalse(m.containsKey("/bin/busybox/busybox"));
    }

    @Test
    void gnuCpioListsEveryPlannedMemberOfTheDecompressedBase(@TempDir Path tmp) throws Exception {
        Path lz4 = HostTools.require("lz4", "lz4");
        Path cpio = HostTools.require("cpio", "cpio");
        BasePlan plan = planner().plan(BaseSpec.builder(Path.of("/bin/ls")).include("true").build());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArchiveWriter.writeBase(plan, out, null);
        HostTools.Result raw = HostTools.run(List.of(lz4.toString(), "-d", "-c"), out.toByteArray());
        assertEquals(0, raw.exit(), raw.stderr());
        assertEquals(plan.uncompressedSize(), raw.stdout().length);
        HostTools.Result list = HostTools.run(List.of(cpio.toString(), "-t", "--quiet"), raw.stdout());
        assertEquals(0, list.exit(), list.stderr());
        assertEquals(plan.entries().stream().map(e -> e.path().substring(1)).toList(), list.out().lines().toList());
    }
}

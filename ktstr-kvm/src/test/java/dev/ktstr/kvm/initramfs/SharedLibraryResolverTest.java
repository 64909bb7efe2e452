package dev.ktstr.kvm.initramfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedLibraryResolverTest {

    private static SharedLibraryResolver resolver(String ldLibraryPath) {
        return new SharedLibraryResolver(SharedLibraryResolver.Config.system().withLdLibraryPath(ldLibraryPath));
    }

    /** soname → lexically normalised path, as ldd (the real dynamic linker) resolves them. */
    static Map<String, String> ldd(Path binary, String ldLibraryPath) throws Exception {
        Path ldd = HostTools.require("ldd", "libc-bin");
        HostTools.Result r = HostTools.run(List.of(ldd.toString(), binary.toString()), null, null,
                Map.of("LD_LIBRARY_PATH", ldLibraryPath), 60);
        assertEquals(0, r.exit(), r.out() + r.stderr());
        Map<String, String> out = new TreeMap<>();
        for (String line : r.out().lines().map(String::strip).toList()) {
            if (line.contains(" => ")) {
                String[] parts = line.split(" => ");
                String path = parts[1].replaceAll(" \\(0x[0-9a-f]+\\)$", "");
                if (path.startsWith("not found")) {
                    throw new AssertionError("ldd cannot resolve " + parts[0] + " of " + binary);
                }
                out.put(parts[0], ArchivePaths.normalize(path));
            }
        }
        return out;
    }

    private static Set<String> found(LibraryClosure c) {
        return c.libraries().stream().map(ResolvedLibrary::foundPath).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void lsNeedsWhatLddSaysPlusTheInterpreter() throws Exception {
        Path ls = Path.of("/bin/ls");
        LibraryClosure c = resolver("").closure(ls);
        assertEquals(new TreeSet<>(ldd(ls, "").values()), found(c));
        ResolvedLibrary interp = c.interpreter().orElseThrow();
        assertEquals("/lib64/ld-linux-x86-64.so.2", interp.foundPath());
        assertEquals(Path.of("/lib64/ld-linux-x86-64.so.2").toRealPath(), interp.realPath());
        for (ResolvedLibrary l : c.libraries()) {
            assertEquals(Path.of(l.foundPath()).toRealPath(), l.realPath());
        }
        assertTrue(c.libraries().stream().anyMatch(l -> l.foundPath().endsWith("/libc.so.6")), c.toString());
    }

    @Test
    void runpathWithOriginIsFollowedTransitivelyAndMatchesLdd(@TempDir Path tmp) throws Exception {
        NativeFixtures f = NativeFixtures.build(tmp);
        SharedLibraryResolver r = resolver("");
        LibraryClosure c = r.closure(f.app);
        assertEquals(new TreeSet<>(ldd(f.app, "").values()), found(c));
        String lib = f.lib.toRealPath().toString();
        assertTrue(found(c).contains(lib + "/libbar.so"), c.toString());
        ResolvedLibrary foo = c.libraries().stream().filter(l -> l.foundPath().endsWith("/libfoo.so.1")).findFirst()
                .orElseThrow();
        assertEquals(lib + "/libfoo.so.1", foo.foundPath(), "found through libbar's own RUNPATH $ORIGIN");
        assertEquals(f.lib.toRealPath().resolve("libfoo.so.1.0"), foo.realPath(), "soname link resolved");
        assertTrue(c.usesOrigin());
        assertSame(c, r.closure(f.app), "memoised while no file in the closure changed");
    }

    @Test
    void rpathPrecedesLdLibraryPathWhichPrecedesRunpath(@TempDir Path tmp) throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        NativeFixtures.library(a, "foo", "libfoo.so.1", 1, List.of());
        NativeFixtures.library(b, "foo", "libfoo.so.1", 2, List.of());
        Files.createSymbolicLink(a.resolve("libfoo.so"), Path.of("libfoo.so.1"));
        Path main = tmp.resolve("main.c");
        Files.writeString(main, "int foo(void);\nint main(void) { return foo(); }\n");
        HostTools.gcc(tmp, List.of("-o", "with-rpath", "main.c", "-La", "-lfoo", "-Wl,--disable-new-dtags",
                "-Wl,-rpath," + a));
        HostTools.gcc(tmp, List.of("-o", "with-runpath", "main.c", "-La", "-lfoo", "-Wl,--enable-new-dtags",
                "-Wl,-rpath," + a));
        SharedLibraryResolver r = resolver(b.toString());
        for (String name : List.of("with-rpath", "with-runpath")) {
            Path bin = tmp.resolve(name);
            Map<String, String> real = ldd(bin, b.toString());
            assertEquals(new TreeSet<>(real.values()), found(r.closure(bin)), name);
        }
        assertTrue(found(r.closure(tmp.resolve("with-rpath"))).contains(a + "/libfoo.so.1"));
        assertTrue(found(r.closure(tmp.resolve("with-runpath"))).contains(b + "/libfoo.so.1"));
    }

    @Test
    void aLibraryWithoutPathsUsesTheRpathOfTheExecutableThatLoadedIt(@TempDir Path tmp) throws Exception {
        Path c = tmp.resolve("c");
        NativeFixtures.library(c, "qux", "libqux.so", 7, List.of());
        Files.writeString(c.resolve("baz.c"), "int qux(void);\nint baz(void) { return qux(); }\n");
        HostTools.gcc(c, List.of("-shared", "-fPIC", "-o", "libbaz.so", "baz.c", "-L.", "-lqux"));
        Files.writeString(tmp.resolve("main.c"), "int baz(void);\nint main(void) { return baz(); }\n");
        HostTools.gcc(tmp, List.of("-o", "app", "main.c", "-Lc", "-lbaz", "-Wl,-rpath-link," + c,
                "-Wl,--disable-new-dtags", "-Wl,-rpath," + c));
        Path app = tmp.resolve("app");
        Set<String> ours = found(resolver("").closure(app));
        assertEquals(new TreeSet<>(ldd(app, "").values()), ours);
        assertTrue(ours.contains(c + "/libqux.so"), ours.toString());
    }

    @Test
    void aMissingLibraryNamesItselfAndTheObjectThatNeedsIt(@TempDir Path tmp) throws Exception {
        NativeFixtures f = NativeFixtures.build(tmp.resolve("fx"));
        Path copy = Files.createDirectories(tmp.resolve("copy/bin"));
        Files.createDirectories(tmp.resolve("copy/lib"));
        Files.copy(f.app, copy.resolve("app"));
        Files.copy(f.lib.resolve("libbar.so"), tmp.resolve("copy/lib/libbar.so"));
        MissingLibraryException e = assertThrows(MissingLibraryException.class,
                () -> resolver("").closure(copy.resolve("app")));
        assertEquals("libfoo.so.1", e.library());
        assertEquals(tmp.resolve("copy/lib/libbar.so").toRealPath().toString(), e.neededBy());
        assertEquals(copy.resolve("app").toRealPath().toString(), e.root());
        assertTrue(e.searched().contains(tmp.resolve("copy/lib").toRealPath().toString()), e.searched().toString());
        assertTrue(e.getMessage().contains("libfoo.so.1 needed by"), e.getMessage());
    }

    @Test
    void aStaticBinaryNeedsNothing(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("s.c"), "int main(void) { return 0; }\n");
        HostTools.gcc(tmp, List.of("-static", "-o", "s", "s.c"));
        assertTrue(resolver("").closure(tmp.resolve("s")).isEmpty());
    }

    @Test
    void expandsDynamicStringTokensLikeDebiansGlibc() {
        assertEquals(List.of("/opt/x/lib", "/opt/x/bin/lib/x86_64-linux-gnu/x86_64"),
                SharedLibraryResolver.expand(List.of("$ORIGIN/../lib", "${ORIGIN}/$LIB/$PLATFORM"), "/opt/x/bin", 62));
    }
}

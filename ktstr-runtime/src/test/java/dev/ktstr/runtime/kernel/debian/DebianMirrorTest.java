package dev.ktstr.runtime.kernel.debian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.runtime.kernel.KernelEnvironment;
import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.KernelException.Kind;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mirror derivation from fixture /etc trees (never the machine's own files). */
class DebianMirrorTest {

    private static Path fixture(String name) {
        try {
            return Path.of(DebianMirrorTest.class.getResource(name + "/etc/os-release").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KernelEnvironment env(String fixture) {
        return new KernelEnvironment(Map.of(), Path.of("/nonexistent"), fixture(fixture), Path.of("/nonexistent"), "");
    }

    @Test
    void deb822StanzaWithTheReleaseSuiteWins() throws KernelException {
        DebianMirror m = DebianMirror.fromMachine(env("deb822"));
        assertEquals("http://mirror.invalid/debian", m.uri().toString());
        assertTrue(m.origin().endsWith("debian.sources:8"), m.origin());
    }

    @Test
    void oneLineEntryWithOptionsAndTrailingCommentIsParsed() throws KernelException {
        DebianMirror m = DebianMirror.fromMachine(env("oneline"));
        assertEquals("https://mirror.invalid/debian", m.uri().toString());
        assertTrue(m.origin().endsWith("sources.list:3"), m.origin());
    }

    @Test
    void nonDebianHostsAndMissingSuitesSayHowToOverride() {
        KernelException ubuntu = assertThrows(KernelException.class, () -> DebianMirror.fromMachine(env("ubuntu")));
        assertEquals(Kind.NO_MIRROR, ubuntu.kind());
        assertTrue(ubuntu.getMessage().contains("'ubuntu', not Debian"), ubuntu.getMessage());
        assertTrue(ubuntu.getMessage().contains("KTSTR_DEBIAN_MIRROR"), ubuntu.getMessage());
        KernelException none = assertThrows(KernelException.class, () -> DebianMirror.fromMachine(env("nomatch")));
        assertTrue(none.getMessage().contains("no 'deb' source for suite 'bookworm'"), none.getMessage());
    }

    @Test
    void overrideVariableWinsOverTheSources() throws KernelException {
        DebianMirror m = DebianMirror.fromMachine(env("ubuntu").with("KTSTR_DEBIAN_MIRROR", "http://local.invalid/d/"));
        assertEquals("http://local.invalid/d", m.uri().toString());
    }

    @Test
    void deb822ParserHandlesContinuationsCaseAndDisabledStanzas() {
        List<AptSourceEntry> e = AptSourcesParser.parseDeb822("""
                types: deb
                uris: http://a.invalid/debian
                suites: bookworm
                components: main
                signed-by:
                 line one
                 .
                 line three

                Types: deb
                URIs: http://b.invalid/debian
                Suites: trixie
                Enabled: no
                """, "f");
        assertEquals(1, e.size());
        assertEquals(List.of("bookworm"), e.get(0).suites());
        assertEquals("\nline one\n.\nline three", e.get(0).options().get("signed-by"));
    }

    @Test
    void oneLineParserSkipsCommentsAndOtherTypes() {
        List<AptSourceEntry> e = AptSourcesParser.parseOneLine("""
                # deb http://x.invalid/debian bookworm main
                deb-src http://y.invalid/debian bookworm main
                rpm http://z.invalid/ bookworm
                deb [ arch=amd64 ] http://w.invalid/debian bookworm main
                deb http://broken.invalid
                """, "f");
        assertEquals(2, e.size());
        assertEquals(List.of("deb-src"), e.get(0).types());
        assertEquals("amd64", e.get(1).options().get("arch"));
        assertEquals(List.of("main"), e.get(1).components());
    }

    @Test
    void osReleaseFallsBackToTheVersionParentheses() {
        OsRelease r = OsRelease.parse("ID=debian\nVERSION=\"11 (bullseye)\"\n");
        assertEquals("bullseye", r.codename());
        assertTrue(r.isDebian());
    }
}

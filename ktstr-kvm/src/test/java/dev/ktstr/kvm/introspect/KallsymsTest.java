package dev.ktstr.kvm.introspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KallsymsTest {

    private static final String TEXT = """
            ffffffff81000000 T _text
            ffffffff83cc4000 D runqueues
            ffffffff8300a020 d map_idr
            ffffffff8300b000 d dup_static
            ffffffff8300c000 d dup_static
            ffffffffc0001000 t helper\t[virtio_net]
            """;

    @Test
    void parsesAddressesSkipsModulesAndKeepsDuplicatesAmbiguous() throws Exception {
        KernelSymbols s = KallsymsParser.parse("guest kallsyms", TEXT);
        assertEquals(0xffffffff83cc4000L, s.require("runqueues"));
        assertEquals(0xffffffff8300a020L, s.find("map_idr").orElseThrow());
        assertTrue(s.find("helper").isEmpty(), "module symbols are not part of the image");
        IntrospectException amb = assertThrows(IntrospectException.class, () -> s.require("dup_static"));
        assertTrue(amb.getMessage().contains("ambiguous") && amb.getMessage().contains("0xffffffff8300c000"),
                amb.getMessage());
        assertEquals(List.of(0xffffffff8300b000L, 0xffffffff8300c000L), s.all("dup_static"));
        IntrospectException missing = assertThrows(IntrospectException.class, () -> s.require("scx_root"));
        assertEquals("symbol scx_root not found in guest kallsyms", missing.getMessage());
    }

    @Test
    void refusesRestrictedOrGarbledText() {
        IntrospectException zeros = assertThrows(IntrospectException.class,
                () -> KallsymsParser.parse("k", "0000000000000000 T _text\n0000000000000000 D runqueues\n"));
        assertTrue(zeros.getMessage().contains("kptr_restrict"), zeros.getMessage());
        IntrospectException bad = assertThrows(IntrospectException.class,
                () -> KallsymsParser.parse("k", "ffffffff81000000 T _text\nnot a symbol line\n"));
        assertTrue(bad.getMessage().contains("line 2"), bad.getMessage());
        assertThrows(IntrospectException.class, () -> KallsymsParser.parse("k", "zzzz T _text\n"));
        assertThrows(IntrospectException.class, () -> KallsymsParser.parse("k", "\n\n"));
    }

    @Test
    void cacheRoundTripsPerBuildId(@TempDir Path dir) throws Exception {
        KallsymsCache cache = new KallsymsCache(dir.resolve("kallsyms"));
        String id = "1fe9968467f2755292a45806719b9bba136b0cc8";
        assertTrue(cache.load(id).isEmpty());
        KernelSymbols s = KallsymsParser.parse("guest kallsyms", TEXT);
        Path f = cache.store(id, s);
        assertTrue(Files.isRegularFile(f));
        KernelSymbols back = cache.load(id).orElseThrow();
        assertEquals(s.entries(), back.entries());
        try (var files = Files.list(cache.dir())) {
            assertEquals(1, files.count(), "no temporary files left behind");
        }
        assertTrue(cache.load("00000000aaaaaaaa").isEmpty(), "another build is another entry");
        assertThrows(IllegalArgumentException.class, () -> cache.load("../../etc/passwd"));
    }

    @Test
    void cacheRefusesAnEntryOfAnotherBuild(@TempDir Path dir) throws Exception {
        KallsymsCache cache = new KallsymsCache(dir);
        KernelSymbols s = KallsymsParser.parse("k", TEXT);
        Path f = cache.store("aaaaaaaaaaaaaaaa", s);
        Files.move(f, dir.resolve("bbbbbbbbbbbbbbbb.syms.gz"));
        IntrospectException e = assertThrows(IntrospectException.class, () -> cache.load("bbbbbbbbbbbbbbbb"));
        assertTrue(e.getMessage().contains("not a kallsyms cache entry"), e.getMessage());
    }
}

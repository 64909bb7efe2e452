package dev.ktstr.kvm.initramfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LdSoCacheTest {

    private static final Path CACHE = Path.of("/etc/ld.so.cache");

    @Test
    void parsesTheHostCacheExactlyAsLdconfigPrintsIt() throws Exception {
        assumeTrue(Files.isRegularFile(CACHE), "no /etc/ld.so.cache on this host");
        Path ldconfig = Path.of("/sbin/ldconfig");
        assumeTrue(Files.isExecutable(ldconfig), "no /sbin/ldconfig (Debian package libc-bin)");
        HostTools.Result r = HostTools.run(List.of(ldconfig.toString(), "-p", "-C", CACHE.toString()), null);
        assertEquals(0, r.exit(), r.stderr());
        // "\tlibz.so.1 (libc6,x86-64) => /lib/x86_64-linux-gnu/libz.so.1", or with ", hwcap: ..." inside the parens
        Pattern line = Pattern.compile("^\\t(\\S+) \\(([^)]*)\\) => (\\S+)$");
        List<String> expected = new ArrayList<>();
        for (String l : r.out().lines().toList()) {
            Matcher m = line.matcher(l);
            if (m.matches()) {
                expected.add(m.group(1) + " " + m.group(3) + " " + m.group(2).contains("x86-64"));
            }
        }
        LdSoCache cache = LdSoCache.load(CACHE);
        List<String> actual = new ArrayList<>();
        for (LdSoCache.Entry e : cache.entries()) {
            actual.add(e.name() + " " + e.path() + " " + ((e.flags() & 0xff00) == LdSoCache.FLAG_X8664_LIB64));
        }
        assertTrue(expected.size() > 10, "ldconfig printed " + expected.size() + " entries: " + r.out());
        assertEquals(expected, actual, "same entries in the same order as ldconfig -p");
        assertEquals("/lib/x86_64-linux-gnu/libc.so.6", cache.lookup("libc.so.6", 62).orElseThrow());
        assertTrue(cache.lookup("libdoes-not-exist.so.9", 62).isEmpty());
    }

    /** A two-entry cache in the new format, built by hand from dl-cache.h. */
    static byte[] synthetic(boolean withOldPrefix) {
        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        int start = 0;
        if (withOldPrefix) {
            b.put("ld.so-1.7.0".getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
            b.putInt(1); // one old entry of 12 bytes
            b.putInt(3).putInt(0).putInt(0);
            start = 32; // 16 + 12 = 28, aligned to 8
            b.position(start);
        }
        String strings = "libfoo.so.1\0/opt/lib/libfoo.so.1\0libbar.so\0/opt/lib/libbar.so\0";
        int stringsAt = 48 + 2 * 24;
        b.put("glibc-ld.so.cache1.1".getBytes(StandardCharsets.US_ASCII));
        b.putInt(2).putInt(strings.length()).put((byte) 2).put(new byte[3]).putInt(0).putInt(0).putInt(0).putInt(0);
        b.putInt(0x0303).putInt(stringsAt).putInt(stringsAt + 12).putInt(0).putLong(0);
        b.putInt(0x0303).putInt(stringsAt + 33).putInt(stringsAt + 43).putInt(0).putLong(0);
        b.put(strings.getBytes(StandardCharsets.US_ASCII));
        b.flip();
        return java.util.Arrays.copyOf(b.array(), b.limit());
    }

    @Test
    void readsTheNewFormatAloneAndAfterAnOldFormatTable() throws Exception {
        for (boolean old : new boolean[] {false, true}) {
            LdSoCache c = LdSoCache.parse("synthetic", ByteBuffer.wrap(synthetic(old)));
            assertEquals(List.of(new LdSoCache.Entry("libfoo.so.1", "/opt/lib/libfoo.so.1", 0x0303, 0),
                    new LdSoCache.Entry("libbar.so", "/opt/lib/libbar.so", 0x0303, 0)), c.entries());
            assertEquals("/opt/lib/libbar.so", c.lookup("libbar.so", 62).orElseThrow());
            assertTrue(c.lookup("libbar.so", 183).isEmpty(), "an x86-64 entry does not serve AArch64");
        }
    }

    @Test
    void rejectsBadMagicTruncationAndStringsOutsideTheFile() {
        InitramfsException bad = assertThrows(InitramfsException.class,
                () -> LdSoCache.parse("x", ByteBuffer.wrap("not a cache at all, really".getBytes(StandardCharsets.US_ASCII))));
        assertTrue(bad.getMessage().contains("bad magic"), bad.getMessage());
        byte[] good = synthetic(false);
        InitramfsException cut = assertThrows(InitramfsException.class,
                () -> LdSoCache.parse("x", ByteBuffer.wrap(java.util.Arrays.copyOf(good, 60))));
        assertTrue(cut.getMessage().contains("do not fit"), cut.getMessage());
        byte[] wild = good.clone();
        ByteBuffer.wrap(wild).order(ByteOrder.LITTLE_ENDIAN).putInt(48 + 4, 100_000);
        InitramfsException off = assertThrows(InitramfsException.class, () -> LdSoCache.parse("x", ByteBuffer.wrap(wild)));
        assertTrue(off.getMessage().contains("outside the cache"), off.getMessage());
    }
}

package dev.ktstr.kvm.initramfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The dynamic linker's library cache, {@code /etc/ld.so.cache}, parsed from its binary form.
 *
 * <p>Follows glibc's {@code sysdeps/generic/dl-cache.h}: format {@code glibc-ld.so.cache1.1}, a
 * 48-byte header (17-byte magic {@code glibc-ld.so.cache}, 3-byte version {@code 1.1}, u32 nlibs,
 * u32 len_strings, u8 endianness flag (2 = little), 3 pad bytes, u32 extension_offset, 3 unused
 * u32), then {@code nlibs} 24-byte entries (i32 flags, u32 key, u32 value, u32 osversion, u64 hwcap)
 * whose key (soname) and value (path) are offsets of NUL-terminated strings from the start of that
 * header. A file that starts with the old {@code ld.so-1.7.0} table has the new header after it,
 * aligned to 8 bytes. Entries are kept in file order, which is the order glibc's binary search
 * prefers among equal names.
 */
public final class LdSoCache {

    private static final String OLD_MAGIC = "ld.so-1.7.0";
    private static final String NEW_MAGIC = "glibc-ld.so.cache1.1";
    private static final int NEW_HEADER = 48;
    private static final int NEW_ENTRY = 24;
    private static final int OLD_ENTRY = 12;

    /** Entry flag: ELF library for glibc ({@code FLAG_ELF_LIBC6}). */
    public static final int FLAG_ELF_LIBC6 = 0x0003;
    /** Entry flag: x86-64 64-bit library ({@code FLAG_X8664_LIB64}). */
    public static final int FLAG_X8664_LIB64 = 0x0300;
    /** Entry flag: AArch64 64-bit library ({@code FLAG_AARCH64_LIB64}). */
    public static final int FLAG_AARCH64_LIB64 = 0x0a00;

    /**
     * One cache entry.
     *
     * @param name  the soname, e.g. {@code libc.so.6}
     * @param path  where it lives, e.g. {@code /lib/x86_64-linux-gnu/libc.so.6}
     * @param flags type and architecture bits ({@code FLAG_*})
     * @param hwcap hardware-capability bits or extension index (0 for a plain entry)
     */
    public record Entry(String name, String path, int flags, long hwcap) {}

    private final List<Entry> entries;

    private LdSoCache(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** An empty cache, for a host without one. */
    public static LdSoCache empty() {
        return new LdSoCache(List.of());
    }

    /** Reads and parses {@code file}. */
    public static LdSoCache load(Path file) throws IOException, InitramfsException {
        return parse(file.toString(), ByteBuffer.wrap(Files.readAllBytes(file)));
    }

    /** Parses cache bytes; {@code name} only labels errors. */
    public static LdSoCache parse(String name, ByteBuffer bytes) throws InitramfsException {
        ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int base = b.position();
        int limit = b.limit();
        int newStart = base;
        if (startsWith(b, base, OLD_MAGIC)) {
            if (limit - base < 16) {
                throw new InitramfsException(name + ": truncated old-format ld.so.cache header");
            }
            long oldCount = Integer.toUnsignedLong(b.getInt(base + 12));
            long after = 16 + oldCount * OLD_ENTRY;
            newStart = (int) Math.min(limit, base + ((after + 7) & ~7L));
            if (!startsWith(b, newStart, NEW_MAGIC)) {
                throw new InitramfsException(name + ": old-format ld.so.cache without a " + NEW_MAGIC
                        + " section; only the new format is supported");
            }
        } else if (!startsWith(b, base, NEW_MAGIC)) {
            throw new InitramfsException(name + ": not a " + NEW_MAGIC + " file (bad magic)");
        }
        if (limit - newStart < NEW_HEADER) {
            throw new InitramfsException(name + ": truncated ld.so.cache header");
        }
        int endian = b.get(newStart + 28) & 0xff;
        if (endian != 0 && endian != 2) {
            throw new InitramfsException(name + ": ld.so.cache is not little-endian (flag " + endian + ")");
        }
        long nlibs = Integer.toUnsignedLong(b.getInt(newStart + 20));
        long entriesEnd = newStart + NEW_HEADER + nlibs * NEW_ENTRY;
        if (entriesEnd > limit) {
            throw new InitramfsException(name + ": " + nlibs + " entries do not fit in " + (limit - base) + " bytes");
        }
        List<Entry> out = new ArrayList<>((int) nlibs);
        for (int i = 0; i < nlibs; i++) {
            int e = newStart + NEW_HEADER + i * NEW_ENTRY;
            int flags = b.getInt(e);
            long key = Integer.toUnsignedLong(b.getInt(e + 4));
            long value = Integer.toUnsignedLong(b.getInt(e + 8));
            long hwcap = b.getLong(e + 16);
            out.add(new Entry(string(name, b, newStart + key, limit), string(name, b, newStart + value, limit), flags,
                    hwcap));
        }
        return new LdSoCache(out);
    }

    /** All entries in file order. */
    public List<Entry> entries() {
        return entries;
    }

    /**
     * The path of the first plain (hwcap 0) glibc entry for {@code soname} built for ELF machine
     * {@code machine} (62 x86-64, 183 AArch64); falls back to the first such entry with hwcap bits.
     */
    public Optional<String> lookup(String soname, int machine) {
        int want = FLAG_ELF_LIBC6 | archFlag(machine);
        Entry withHwcap = null;
        for (Entry e : entries) {
            if (e.name().equals(soname) && (e.flags() & 0xffff) == want) {
                if (e.hwcap() == 0) {
                    return Optional.of(e.path());
                }
                if (withHwcap == null) {
                    withHwcap = e;
                }
            }
        }
        return Optional.ofNullable(withHwcap).map(Entry::path);
    }

    private static int archFlag(int machine) {
        return switch (machine) {
            case 62 -> FLAG_X8664_LIB64;
            case 183 -> FLAG_AARCH64_LIB64;
            default -> throw new IllegalArgumentException("no ld.so.cache architecture flag known for ELF machine "
                    + machine);
        };
    }

    private static boolean startsWith(ByteBuffer b, int at, String magic) {
        if (at < 0 || b.limit() - at < magic.length()) {
            return false;
        }
        for (int i = 0; i < magic.length(); i++) {
            if (b.get(at + i) != (byte) magic.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String string(String name, ByteBuffer b, long at, int limit) throws InitramfsException {
        if (at < 0 || at >= limit) {
            throw new InitramfsException(name + ": string offset " + at + " outside the cache");
        }
        int s = (int) at;
        int e = s;
        while (e < limit && b.get(e) != 0) {
            e++;
        }
        if (e == limit) {
            throw new InitramfsException(name + ": unterminated string at offset " + at);
        }
        byte[] out = new byte[e - s];
        b.get(s, out);
        return new String(out, StandardCharsets.UTF_8);
    }
}

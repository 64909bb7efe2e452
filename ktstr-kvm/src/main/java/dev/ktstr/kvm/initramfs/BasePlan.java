package dev.ktstr.kvm.initramfs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * A base archive fully resolved: every member in write order (the marker last), the content key
 * that names its cached copy, the compression level and the exact uncompressed size.
 *
 * <p><b>Key.</b> SHA-256 over a canonical text of the layout, truncated to 128 bits (32 hex digits):
 * a format line ({@code ktstr-initramfs-base/1 lz4-legacy block=8388608 level=FAST}), then one line
 * per member but the marker: {@code D path perm}, {@code F path perm size sha256}, {@code L path
 * target} or {@code C path perm major minor}. File bytes enter through their SHA-256, so the key
 * names the archive's content, not where its inputs live or when they were written: two processes,
 * or two checkouts with equal binaries, compute the same key.
 *
 * @param key              32 lower-case hex digits
 * @param entries          members in write order, ending with the marker
 * @param level            compression level
 * @param uncompressedSize exact size of the cpio archive before compression
 */
public record BasePlan(String key, List<CpioEntry> entries, Lz4Legacy.Level level, long uncompressedSize) {

    static final String FORMAT = "ktstr-initramfs-base/1 lz4-legacy block=" + Lz4Legacy.MAX_BLOCK;

    public BasePlan {
        entries = List.copyOf(entries);
    }

    /** Builds the plan from members in write order (without the marker), adding the marker. */
    static BasePlan of(List<CpioEntry> members, Lz4Legacy.Level level) {
        String key = key(members, level);
        CpioEntry marker = new CpioEntry.RegularFile(InitramfsLayout.MARKER, 0444,
                FileContent.Bytes.of(("ktstr-base " + key + "\n").getBytes(StandardCharsets.US_ASCII)));
        List<CpioEntry> all = new java.util.ArrayList<>(members);
        all.add(marker);
        return new BasePlan(key, all, level, newcSize(all, 4));
    }

    static String key(List<CpioEntry> members, Lz4Legacy.Level level) {
        MessageDigest md = ContentHasher.newDigest();
        StringBuilder line = new StringBuilder(128);
        line.append(FORMAT).append(" level=").append(level).append('\n');
        md.update(line.toString().getBytes(StandardCharsets.UTF_8));
        for (CpioEntry e : members) {
            line.setLength(0);
            String perm = Integer.toOctalString(e.permissions());
            if (e instanceof CpioEntry.Directory d) {
                line.append("D ").append(d.path()).append(' ').append(perm);
            } else if (e instanceof CpioEntry.RegularFile f) {
                line.append("F ").append(f.path()).append(' ').append(perm).append(' ').append(f.content().size())
                        .append(' ').append(f.content().sha256());
            } else if (e instanceof CpioEntry.Symlink s) {
                line.append("L ").append(s.path()).append(' ').append(s.target());
            } else if (e instanceof CpioEntry.CharDevice c) {
                line.append("C ").append(c.path()).append(' ').append(perm).append(' ').append(c.major()).append(' ')
                        .append(c.minor());
            }
            line.append('\n');
            md.update(line.toString().getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(md.digest(), 0, 16);
    }

    /** The exact size of a newc archive of {@code entries}, trailer and final padding included. */
    static long newcSize(List<CpioEntry> entries, int padTo) {
        long size = 0;
        for (CpioEntry e : entries) {
            size += align4(CpioWriter.HEADER_SIZE + e.path().substring(1).getBytes(StandardCharsets.UTF_8).length + 1);
            long data = 0;
            if (e instanceof CpioEntry.RegularFile f) {
                data = f.content().size();
            } else if (e instanceof CpioEntry.Symlink s) {
                data = s.target().getBytes(StandardCharsets.UTF_8).length;
            }
            size += align4(data);
        }
        size += align4(CpioWriter.HEADER_SIZE + CpioWriter.TRAILER.length() + 1);
        return (size + padTo - 1) / padTo * padTo;
    }

    private static long align4(long v) {
        return (v + 3) & ~3L;
    }
}

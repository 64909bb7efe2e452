package dev.ktstr.kvm.initramfs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Streams a cpio archive in the SVR4 "newc" format, the one the kernel unpacks into its rootfs.
 *
 * <p>Follows the kernel's {@code Documentation/driver-api/early-userspace/buffer-format.rst} and
 * cpio(5) "New ASCII Format": each member is a 110-byte ASCII header ({@code 070701} then thirteen
 * 8-digit hex fields: ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor,
 * rdevminor, namesize including the NUL, check = 0), the NUL-terminated name padded with NULs to a
 * multiple of four bytes from the start of the header, then the data padded to a multiple of four.
 * The archive ends with a member named {@code TRAILER!!!}.
 *
 * <p>Output is deterministic: owner root, mtime 0, inode numbers assigned in write order from the
 * first inode given, names without the leading slash (as {@code gen_init_cpio} writes them). Host
 * files are streamed, never held in memory; each is checked against the size and SHA-256 it was
 * planned with, so an archive never silently differs from its key. The writer does not own the
 * stream: {@link #finish(int)} writes the trailer and padding and leaves the stream open.
 */
public final class CpioWriter {

    public static final String MAGIC = "070701";
    public static final int HEADER_SIZE = 110;
    public static final String TRAILER = "TRAILER!!!";
    public static final int S_IFDIR = 0040000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFCHR = 0020000;
    private static final long MAX_FIELD = 0xffffffffL;

    private final OutputStream out;
    private final byte[] header = new byte[HEADER_SIZE];
    private final byte[] copyBuffer = new byte[1 << 16];
    private long nextInode;
    private long written;
    private boolean finished;

    /**
     * @param out        where the archive goes (not closed by this writer)
     * @param firstInode inode number of the first member; later members count up from it
     */
    public CpioWriter(OutputStream out, long firstInode) {
        if (firstInode < 1 || firstInode > MAX_FIELD) {
            throw new IllegalArgumentException("first inode must be in [1, 2^32), got " + firstInode);
        }
        this.out = out;
        this.nextInode = firstInode;
    }

    /** Bytes written so far. */
    public long bytesWritten() {
        return written;
    }

    /** Writes one member. */
    public void write(CpioEntry entry) throws IOException {
        if (entry instanceof CpioEntry.Directory d) {
            writeMember(d.path(), S_IFDIR | d.permissions(), 2, 0, 0, 0, null, null);
        } else if (entry instanceof CpioEntry.Symlink s) {
            byte[] target = s.target().getBytes(StandardCharsets.UTF_8);
            writeMember(s.path(), S_IFLNK | 0777, 1, 0, 0, target.length, target, null);
        } else if (entry instanceof CpioEntry.CharDevice c) {
            writeMember(c.path(), S_IFCHR | c.permissions(), 1, c.major(), c.minor(), 0, null, null);
        } else if (entry instanceof CpioEntry.RegularFile f) {
            FileContent content = f.content();
            if (content instanceof FileContent.Bytes b) {
                writeMember(f.path(), S_IFREG | f.permissions(), 1, 0, 0, b.size(), b.raw(), null);
            } else {
                FileContent.HostFile h = (FileContent.HostFile) content;
                writeMember(f.path(), S_IFREG | f.permissions(), 1, 0, 0, h.size(), null, h);
            }
        }
    }

    /**
     * Writes the {@code TRAILER!!!} member and pads the archive with NULs to a multiple of
     * {@code padTo} bytes (4 for a plain archive; 512 for the per-run suffix). Idempotent.
     */
    public void finish(int padTo) throws IOException {
        if (padTo < 4 || Integer.bitCount(padTo) != 1) {
            throw new IllegalArgumentException("padding must be a power of two >= 4, got " + padTo);
        }
        if (finished) {
            return;
        }
        finished = true;
        putHeader(0, 0, 1, 0, 0, 0, 0, TRAILER.length() + 1);
        emit(header, HEADER_SIZE);
        emitName(TRAILER.getBytes(StandardCharsets.US_ASCII));
        pad(padTo);
    }

    private void writeMember(String path, int mode, int nlink, int rdevMajor, int rdevMinor, long size, byte[] data,
            FileContent.HostFile host) throws IOException {
        if (finished) {
            throw new IllegalStateException("archive already finished, cannot add " + path);
        }
        if (size > MAX_FIELD) {
            throw new IOException(path + ": " + size + " bytes do not fit a newc size field (4 GiB - 1)");
        }
        if (nextInode > MAX_FIELD) {
            throw new IOException("more than 2^32 inode numbers used at " + path);
        }
        byte[] name = ArchivePaths.check(path).substring(1).getBytes(StandardCharsets.UTF_8);
        putHeader(nextInode++, mode, nlink, size, rdevMajor, rdevMinor, 0, name.length + 1);
        emit(header, HEADER_SIZE);
        emitName(name);
        if (data != null) {
            out.write(data);
            written += data.length;
        } else if (host != null) {
            copyHostFile(path, host);
        }
        pad(4);
    }

    private void copyHostFile(String archivePath, FileContent.HostFile host) throws IOException {
        FileIdentity now = FileIdentity.of(host.path());
        if (!now.equals(host.identity())) {
            throw new IOException(host.path() + " (for " + archivePath + ") changed after it was planned: "
                    + host.identity() + " -> " + now);
        }
        MessageDigest md = ContentHasher.newDigest();
        long remaining = host.size();
        try (InputStream in = new DigestInputStream(Files.newInputStream(host.path()), md)) {
            while (remaining > 0) {
                int n = in.read(copyBuffer, 0, (int) Math.min(copyBuffer.length, remaining));
                if (n < 0) {
                    throw new IOException(host.path() + " (for " + archivePath + ") shrank while archived: "
                            + remaining + " of " + host.size() + " bytes missing");
                }
                out.write(copyBuffer, 0, n);
                remaining -= n;
                written += n;
            }
            if (in.read() >= 0) {
                throw new IOException(host.path() + " (for " + archivePath + ") grew while archived beyond "
                        + host.size() + " bytes");
            }
        }
        String sha = HexFormat.of().formatHex(md.digest());
        if (!sha.equals(host.sha256())) {
            throw new IOException(host.path() + " (for " + archivePath + ") changed after it was planned: sha256 "
                    + host.sha256() + " -> " + sha);
        }
    }

    private void emitName(byte[] name) throws IOException {
        out.write(name);
        out.write(0);
        written += name.length + 1;
        pad(4);
    }

    private void pad(int to) throws IOException {
        int n = (int) ((to - (written % to)) % to);
        for (int i = 0; i < n; i++) {
            out.write(0);
        }
        written += n;
    }

    private void emit(byte[] b, int len) throws IOException {
        out.write(b, 0, len);
        written += len;
    }

    private void putHeader(long ino, int mode, int nlink, long size, int rdevMajor, int rdevMinor, long mtime,
            int nameSize) {
        for (int i = 0; i < 6; i++) {
            header[i] = (byte) MAGIC.charAt(i);
        }
        long[] fields = {ino, mode, 0, 0, nlink, mtime, size, 0, 0, rdevMajor, rdevMinor, nameSize, 0};
        for (int f = 0; f < fields.length; f++) {
            putHex8(6 + 8 * f, fields[f]);
        }
    }

    private void putHex8(int at, long v) {
        for (int i = 7; i >= 0; i--) {
            header[at + i] = (byte) "0123456789ABCDEF".charAt((int) (v & 0xf));
            v >>>= 4;
        }
    }
}

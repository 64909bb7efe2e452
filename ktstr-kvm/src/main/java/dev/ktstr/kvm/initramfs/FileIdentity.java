package dev.ktstr.kvm.initramfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The stat identity of a file: device, inode, size, modification and status-change times in
 * nanoseconds. Two equal identities mean "the same bytes" for the purpose of memoising digests
 * and parses inside one process (any write changes ctime).
 */
public record FileIdentity(long dev, long ino, long size, long mtimeNs, long ctimeNs, int mode) {

    /** Stats {@code path}, following symlinks. */
    public static FileIdentity of(Path path) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, "unix:dev,ino,size,lastModifiedTime,ctime,mode");
        return new FileIdentity((Long) a.get("dev"), (Long) a.get("ino"), (Long) a.get("size"),
                ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS),
                ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS), (Integer) a.get("mode"));
    }

    /** Stats {@code path} itself, not what a symlink points to. */
    public static FileIdentity ofLink(Path path) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, "unix:dev,ino,size,lastModifiedTime,ctime,mode",
                LinkOption.NOFOLLOW_LINKS);
        return new FileIdentity((Long) a.get("dev"), (Long) a.get("ino"), (Long) a.get("size"),
                ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS),
                ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS), (Integer) a.get("mode"));
    }

    /** The permission bits (including set-id and sticky), {@code 07777}. */
    public int permissions() {
        return mode & 07777;
    }
}

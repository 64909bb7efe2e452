package dev.ktstr.kvm.initramfs;

import java.util.Objects;

/**
 * One member of a cpio archive. Paths are absolute archive paths ({@code /bin/sh}); the writer
 * stores them without the leading slash, as the kernel's {@code gen_init_cpio} does. Permissions are
 * the low twelve mode bits ({@code 07777}); the file-type bits come from the record type.
 */
public sealed interface CpioEntry {

    /** Absolute archive path. */
    String path();

    /** Permission bits, {@code 07777}. */
    int permissions();

    /** A directory. The kernel does not create missing parents, so archives list every parent first. */
    record Directory(String path, int permissions) implements CpioEntry {
        public Directory {
            ArchivePaths.check(path);
            checkPermissions(permissions);
        }
    }

    /** A regular file. */
    record RegularFile(String path, int permissions, FileContent content) implements CpioEntry {
        public RegularFile {
            ArchivePaths.check(path);
            checkPermissions(permissions);
            Objects.requireNonNull(content, "content");
        }
    }

    /** A symbolic link; its data is the target, stored without a NUL. */
    record Symlink(String path, String target) implements CpioEntry {
        public Symlink {
            ArchivePaths.check(path);
            if (target == null || target.isEmpty() || target.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("symlink " + path + " has an empty or NUL-containing target");
            }
        }

        @Override
        public int permissions() {
            return 0777;
        }
    }

    /** A character device node, e.g. {@code /dev/console} (5, 1). */
    record CharDevice(String path, int permissions, int major, int minor) implements CpioEntry {
        public CharDevice {
            ArchivePaths.check(path);
            checkPermissions(permissions);
            if (major < 0 || minor < 0) {
                throw new IllegalArgumentException("device numbers of " + path + " must be non-negative");
            }
        }
    }

    private static void checkPermissions(int permissions) {
        if ((permissions & ~07777) != 0) {
            throw new IllegalArgumentException("permissions must fit 07777, got 0" + Integer.toOctalString(permissions));
        }
    }
}

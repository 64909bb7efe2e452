package dev.ktstr.kvm.initramfs;

import java.nio.file.Path;

/**
 * A shared object the dynamic linker would load, as it would find it.
 *
 * @param foundPath the path the search produced, lexically normalised (e.g.
 *                  {@code /lib/x86_64-linux-gnu/libc.so.6}); the guest's linker searches the same
 *                  directories, so the archive holds this path (as a symlink when it differs from
 *                  {@code realPath})
 * @param realPath  the file itself with every symlink resolved (e.g.
 *                  {@code /usr/lib/x86_64-linux-gnu/libc.so.6}); the archive stores the bytes here
 */
public record ResolvedLibrary(String foundPath, Path realPath) {

    public ResolvedLibrary {
        ArchivePaths.check(foundPath);
        if (!realPath.isAbsolute()) {
            throw new IllegalArgumentException("real path must be absolute: " + realPath);
        }
    }
}

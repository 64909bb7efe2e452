package dev.ktstr.runtime.kernel.build;

import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.KernelException.Kind;
import dev.ktstr.runtime.kernel.cache.CacheKeys;
import dev.ktstr.runtime.kernel.process.ProcessResult;
import dev.ktstr.runtime.kernel.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The identity of a kernel source tree, part of a build's cache key. A git work tree is identified by
 * its commit, and is dirty when tracked files differ from it ({@code git status --porcelain
 * --untracked-files=no}; build outputs are ignored by the kernel's .gitignore): dirty trees are built
 * but never cached. A tree without git (an unpacked {@code linux-source} package) is identified by its
 * path; edits to it are not detected, so {@code --force} rebuilds.
 *
 * @param dir         the tree, absolute
 * @param identity    {@code git-<12 hex>} or {@code tree-<crc32 of the path>}
 * @param dirtyReason why the tree must not be cached, if it is dirty
 */
public record SourceTree(Path dir, String identity, Optional<String> dirtyReason) {

    private static final Duration GIT_TIMEOUT = Duration.ofMinutes(2);

    /** Identifies {@code dir}, which must hold a kernel {@code Makefile}. */
    public static SourceTree identify(Path dir) throws KernelException {
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs.resolve("Makefile")) || !Files.isDirectory(abs.resolve("arch"))) {
            throw new KernelException(Kind.BUILD_FAILED, abs + " is not a kernel source tree (no Makefile and arch/)");
        }
        if (Files.exists(abs.resolve(".git")) && ProcessRunner.onPath("git")) {
            ProcessResult head = git(abs, "rev-parse", "HEAD");
            if (head.ok()) {
                ProcessResult status = git(abs, "status", "--porcelain", "--untracked-files=no");
                if (!status.ok()) {
                    throw new KernelException(Kind.BUILD_FAILED, status.describeFailure());
                }
                Optional<String> dirty = status.stdout().isBlank() ? Optional.empty()
                        : Optional.of("modified tracked files: " + ProcessResult.tail(status.stdout(), 3));
                return new SourceTree(abs, "git-" + head.stdout().strip().substring(0, 12), dirty);
            }
        }
        return new SourceTree(abs, "tree-" + CacheKeys.crc32(abs.toString()), Optional.empty());
    }

    private static ProcessResult git(Path dir, String... args) throws KernelException {
        List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        try {
            return ProcessRunner.run(ProcessRunner.Spec.of(GIT_TIMEOUT, cmd));
        } catch (IOException e) {
            throw new KernelException(Kind.TOOL_MISSING, "cannot run git: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelException(Kind.BUILD_FAILED, "interrupted while running git", e);
        }
    }
}

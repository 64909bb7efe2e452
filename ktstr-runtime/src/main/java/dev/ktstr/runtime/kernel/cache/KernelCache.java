package dev.ktstr.runtime.kernel.cache;

import dev.ktstr.runtime.kernel.FileFacts;
import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.KernelException.Kind;
import dev.ktstr.runtime.kernel.KernelMetadata;
import dev.ktstr.runtime.kernel.image.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The on-disk kernel cache: one directory per {@link CacheKeys key} under the root, each holding
 * {@value #IMAGE}, {@value #VMLINUX}, {@value #CONFIG} and {@value #METADATA}.
 *
 * <p>Writers build an entry in a private {@code .tmp-<pid>-<nonce>-<key>} directory, flush it to disk
 * and rename it into place, so a reader sees a whole entry or none; an entry being replaced is first
 * renamed aside to {@code .trash-…} and then deleted. Writers hold the key's {@link KeyLock}, so two
 * processes that provision the same kernel at once do the work once: the second finds the entry the
 * first installed. Leftovers of a killed writer (its pid no longer alive) are swept by the next one.
 */
public final class KernelCache {

    public static final String IMAGE = "bzImage";
    public static final String VMLINUX = "vmlinux";
    public static final String CONFIG = "config";
    public static final String METADATA = "metadata.json";
    static final String LOCKS = ".locks";
    static final String TMP_PREFIX = ".tmp-";
    static final String TRASH_PREFIX = ".trash-";

    private static final SecureRandom NONCES = new SecureRandom();

    private final Path root;

    public KernelCache(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** Fills a staging directory with an entry's files and returns its metadata. */
    @FunctionalInterface
    public interface Stager {
        KernelMetadata stage(Path stagingDir) throws KernelException;
    }

    public Path root() {
        return root;
    }

    /** The directory of {@code key} (which may not exist). */
    public Path entryDir(String key) {
        return root.resolve(CacheKeys.require(key));
    }

    /** Blocks until this process holds the lock on {@code key}. */
    public KeyLock lock(String key) throws KernelException {
        return KeyLock.acquire(root.resolve(LOCKS), key);
    }

    /** Takes the lock on {@code key} unless someone holds it. */
    public Optional<KeyLock> tryLock(String key) throws KernelException {
        return KeyLock.tryAcquire(root.resolve(LOCKS), key);
    }

    /** The state of {@code key}'s entry, or empty when there is no such directory. */
    public Optional<EntryStatus> lookup(String key, boolean deep) {
        Path dir = entryDir(key);
        return Files.isDirectory(dir) ? Optional.of(EntryValidator.check(dir, deep)) : Optional.empty();
    }

    /**
     * Every entry directory, validated: valid ones newest first (by {@code cachedAt}), then corrupt
     * ones by name. An absent root is an empty cache.
     */
    public List<EntryStatus> list(boolean deep) throws KernelException {
        List<CacheEntry> valid = new ArrayList<>();
        List<CorruptEntry> corrupt = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") || !Files.isDirectory(p)) {
                    continue;
                }
                EntryStatus s = CacheKeys.isValid(name) ? EntryValidator.check(p, deep)
                        : new CorruptEntry(name, p, "directory name is not a valid cache key");
                if (s instanceof CacheEntry e) {
                    valid.add(e);
                } else {
                    corrupt.add((CorruptEntry) s);
                }
            }
        } catch (IOException e) {
            throw new KernelException(Kind.CACHE_IO, "cannot list the kernel cache " + root + ": " + e, e);
        }
        valid.sort(Comparator.comparing((CacheEntry e) -> e.metadata().cachedAt()).reversed()
                .thenComparing(CacheEntry::key));
        corrupt.sort(Comparator.comparing(CorruptEntry::key));
        List<EntryStatus> out = new ArrayList<>(valid);
        out.addAll(corrupt);
        return out;
    }

    /** The valid entries, newest first. */
    public List<CacheEntry> validEntries() throws KernelException {
        List<CacheEntry> out = new ArrayList<>();
        for (EntryStatus s : list(false)) {
            if (s instanceof CacheEntry e) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * Builds {@code key}'s entry through {@code stager} in a staging directory and renames it into
     * place, replacing any previous entry. The caller must hold {@link #lock(String) the key's lock}.
     */
    public CacheEntry install(String key, Stager stager) throws KernelException {
        Path target = entryDir(key);
        Path staging = root.resolve(TMP_PREFIX + ProcessHandle.current().pid() + "-" + nonce() + "-" + key);
        try {
            Files.createDirectories(staging);
            KernelMetadata m = stager.stage(staging);
            if (!key.equals(m.key())) {
                throw new IllegalStateException("stager wrote metadata for key " + m.key() + ", expected " + key);
            }
            Files.writeString(staging.resolve(METADATA), MetadataJson.write(m), StandardCharsets.UTF_8);
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(staging)) {
                for (Path f : ds) {
                    force(f);
                }
            }
            force(staging);
            replace(staging, target, key);
            force(root);
        } catch (IOException e) {
            KernelException ke = new KernelException(Kind.CACHE_IO, "cannot write cache entry " + target + ": " + e, e);
            deleteAfterFailure(staging, ke);
            throw ke;
        } catch (KernelException | RuntimeException e) {
            deleteAfterFailure(staging, e);
            throw e;
        }
        EntryStatus s = EntryValidator.check(target, false);
        if (s instanceof CorruptEntry c) {
            throw new KernelException(Kind.CORRUPT_ENTRY, "freshly written entry " + key + " is invalid: "
                    + c.reason());
        }
        return (CacheEntry) s;
    }

    /** Deletes {@code key}'s entry (the caller holds its lock); false when there was none. */
    public boolean remove(String key) throws KernelException {
        Path target = entryDir(key);
        if (!Files.exists(target)) {
            return false;
        }
        Path trash = root.resolve(TRASH_PREFIX + ProcessHandle.current().pid() + "-" + nonce() + "-" + key);
        try {
            Files.move(target, trash, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new KernelException(Kind.CACHE_IO, "cannot remove cache entry " + target + ": " + e, e);
        }
        deleteTree(trash);
        return true;
    }

    /**
     * Deletes staging and trash directories whose writer process is gone (a run killed mid-write).
     *
     * @return how many were deleted
     */
    public int sweepLeftovers() throws KernelException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        int n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                String rest = name.startsWith(TMP_PREFIX) ? name.substring(TMP_PREFIX.length())
                        : name.startsWith(TRASH_PREFIX) ? name.substring(TRASH_PREFIX.length()) : null;
                if (rest == null) {
                    continue;
                }
                long pid = leadingPid(rest);
                if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                deleteTree(p);
                n++;
            }
        } catch (IOException e) {
            throw new KernelException(Kind.CACHE_IO, "cannot sweep the kernel cache " + root + ": " + e, e);
        }
        return n;
    }

    /** Size and SHA-256 of a staged file. */
    public static FileFacts facts(Path file) throws KernelException {
        try {
            return new FileFacts(Files.size(file), Sha256.ofFile(file));
        } catch (IOException e) {
            throw new KernelException(Kind.CACHE_IO, "cannot read " + file + ": " + e, e);
        }
    }

    private void replace(Path staging, Path target, String key) throws IOException, KernelException {
        Path trash = null;
        if (Files.exists(target)) {
            trash = root.resolve(TRASH_PREFIX + ProcessHandle.current().pid() + "-" + nonce() + "-" + key);
            Files.move(target, trash, StandardCopyOption.ATOMIC_MOVE);
        }
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the cache root's file system cannot rename atomically: " + e.getMessage(), e);
        }
        if (trash != null) {
            deleteTree(trash);
        }
    }

    private static void deleteAfterFailure(Path dir, Exception primary) {
        try {
            deleteTree(dir);
        } catch (KernelException e) {
            primary.addSuppressed(e);
        }
    }

    private static long leadingPid(String rest) {
        int dash = rest.indexOf('-');
        try {
            return dash > 0 ? Long.parseLong(rest.substring(0, dash)) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String nonce() {
        byte[] b = new byte[4];
        NONCES.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static void force(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                ch.force(true);
            }
        } else if (Files.isRegularFile(p)) {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
        }
    }

    /** Deletes a directory tree; a tree that is already gone is fine. */
    public static void deleteTree(Path dir) throws KernelException {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                    if (exc instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw exc;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    if (exc != null && !(exc instanceof NoSuchFileException)) {
                        throw exc;
                    }
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | UncheckedIOException e) {
            throw new KernelException(Kind.CACHE_IO, "cannot delete " + dir + ": " + e, e);
        }
    }
}

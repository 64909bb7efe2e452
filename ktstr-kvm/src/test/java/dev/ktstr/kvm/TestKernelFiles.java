package dev.ktstr.kvm;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The real kernel that engine-level tests boot or parse: {@code KTSTR_TEST_KERNEL} (bzImage),
 * {@code KTSTR_TEST_VMLINUX} (its ELF) and {@code KTSTR_TEST_KCONFIG} when set (the project's test
 * command sets them from {@code ./ktstr kernel path}), else the newest entry of the ktstr kernel cache
 * ({@code $KTSTR_CACHE_DIR}, {@code $XDG_CACHE_HOME/ktstr} or {@code ~/.cache/ktstr}, then
 * {@code kernels/<key>/}). Tests that need one are skipped, saying where they looked, when neither
 * has it. This module cannot use the runtime's kernel resolver, which lives above it.
 */
public final class TestKernelFiles {

    private TestKernelFiles() {}

    public static Optional<Path> bzImage() {
        return find("KTSTR_TEST_KERNEL", "bzImage");
    }

    public static Optional<Path> vmlinux() {
        return find("KTSTR_TEST_VMLINUX", "vmlinux");
    }

    public static Optional<Path> config() {
        return find("KTSTR_TEST_KCONFIG", "config");
    }

    public static Path requireBzImage() {
        return require(bzImage(), "KTSTR_TEST_KERNEL", "bzImage");
    }

    public static Path requireVmlinux() {
        return require(vmlinux(), "KTSTR_TEST_VMLINUX", "vmlinux");
    }

    public static Path requireConfig() {
        return require(config(), "KTSTR_TEST_KCONFIG", "config");
    }

    private static Path require(Optional<Path> p, String env, String file) {
        assumeTrue(p.isPresent(), () -> "no test kernel " + file + ": set " + env + " or fetch one into "
                + cacheRoot().resolve("kernels") + " with ./ktstr kernel fetch");
        return p.get();
    }

    private static Optional<Path> find(String env, String file) {
        String e = System.getenv(env);
        if (e != null && !e.isBlank()) {
            Path p = Path.of(e);
            return Files.isReadable(p) ? Optional.of(p) : Optional.empty();
        }
        Path kernels = cacheRoot().resolve("kernels");
        if (!Files.isDirectory(kernels)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(kernels)) {
            return s.filter(d -> !d.getFileName().toString().startsWith("."))
                    .filter(d -> Files.isRegularFile(d.resolve("metadata.json")) && Files.isReadable(d.resolve(file)))
                    .max(Comparator.comparing(TestKernelFiles::modified)).map(d -> d.resolve(file));
        } catch (IOException ex) {
            return Optional.empty();
        }
    }

    private static long modified(Path dir) {
        try {
            return Files.getLastModifiedTime(dir.resolve("metadata.json")).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static Path cacheRoot() {
        String c = System.getenv("KTSTR_CACHE_DIR");
        if (c != null && !c.isBlank()) {
            return Path.of(c);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "ktstr");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "ktstr");
    }
}

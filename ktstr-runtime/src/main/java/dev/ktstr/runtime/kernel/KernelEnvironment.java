package dev.ktstr.runtime.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of the host that kernel discovery and provisioning read: environment variables, the home
 * directory, {@code /etc} (os-release, apt sources), {@code /boot} and the running kernel's release.
 * Tests build one over fixture directories instead of the machine's own.
 *
 * @param env         environment variables
 * @param home        the user's home directory
 * @param etc         normally {@code /etc}
 * @param boot        normally {@code /boot}
 * @param hostRelease the running kernel's release ({@code uname -r}), or "" when unknown
 */
public record KernelEnvironment(Map<String, String> env, Path home, Path etc, Path boot, String hostRelease) {

    /** Names an image path, a version or a cache key; overrides discovery. */
    public static final String KTSTR_KERNEL = "KTSTR_KERNEL";
    /** The cache root's parent: kernels live in {@code $KTSTR_CACHE_DIR/kernels}. */
    public static final String KTSTR_CACHE_DIR = "KTSTR_CACHE_DIR";
    /** A Debian mirror URI to use instead of the one derived from the machine's apt sources. */
    public static final String KTSTR_DEBIAN_MIRROR = "KTSTR_DEBIAN_MIRROR";

    public KernelEnvironment {
        env = Map.copyOf(env);
    }

    /** The machine this JVM runs on. */
    public static KernelEnvironment system() {
        String release = "";
        try {
            release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        } catch (IOException e) {
            // Not Linux, or /proc is not mounted: /boot discovery then has no release to look for.
            release = "";
        }
        return new KernelEnvironment(System.getenv(), Path.of(System.getProperty("user.home")), Path.of("/etc"),
                Path.of("/boot"), release);
    }

    /** A copy with one variable set (or removed when {@code value} is null). */
    public KernelEnvironment with(String name, String value) {
        Map<String, String> copy = new java.util.HashMap<>(env);
        if (value == null) {
            copy.remove(name);
        } else {
            copy.put(name, value);
        }
        return new KernelEnvironment(copy, home, etc, boot, hostRelease);
    }

    /** A variable's value when set and not blank. */
    public Optional<String> get(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    /**
     * The root of everything ktstr caches (kernels, schedulers, the agent binary, symbol tables):
     * {@code $KTSTR_CACHE_DIR}, else {@code $XDG_CACHE_HOME/ktstr}, else {@code ~/.cache/ktstr}.
     */
    public Path cacheRoot() {
        Optional<String> explicit = get(KTSTR_CACHE_DIR);
        if (explicit.isPresent()) {
            return Path.of(explicit.get()).toAbsolutePath();
        }
        Optional<String> xdg = get("XDG_CACHE_HOME").filter(p -> Path.of(p).isAbsolute());
        return xdg.map(Path::of).orElse(home.resolve(".cache")).resolve("ktstr");
    }

    /** The kernel cache root: {@code kernels/} under {@link #cacheRoot()}. */
    public Path kernelCacheRoot() {
        return cacheRoot().resolve("kernels");
    }
}

package dev.ktstr.runtime.kernel.cache;

import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Cache keys: the directory names of cache entries, built so that two different kernels never share
 * one and the same kernel always maps to the same one.
 * <ul>
 *   <li>{@code debian-<release>_<package version>}, e.g.
 *       {@code debian-7.3.4+deb13-cloud-amd64_7.3.4-1~bpo13+1} (the .deb naming convention);
 *   <li>{@code local-<kernelversion>-<source identity>-<arch>-kc<fragment hash>}, e.g.
 *       {@code local-7.3.4-git-1a2b3c4d5e6f-x86_64-kc0badc0de123} for {@code kernel build};
 *   <li>{@code path-<release>-<image sha256 prefix>} for an image named by path.
 * </ul>
 * Keys are restricted to {@code [A-Za-z0-9._+~-]}, start with a letter or digit and are at most 200
 * characters, so they are safe as file names and in shell commands.
 */
public final class CacheKeys {

    public static final int MAX_LENGTH = 200;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+~-]{0,199}");
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._+~-]");

    private CacheKeys() {}

    /** Whether {@code key} is a well-formed cache key. */
    public static boolean isValid(String key) {
        return key != null && VALID.matcher(key).matches();
    }

    /** {@code key} itself, or an {@link IllegalArgumentException} naming the bad characters. */
    public static String require(String key) {
        if (!isValid(key)) {
            throw new IllegalArgumentException("not a valid kernel cache key: '" + key
                    + "' (letters, digits and ._+~- only, at most " + MAX_LENGTH + " characters)");
        }
        return key;
    }

    /** The key of a Debian kernel package. */
    public static String debian(String release, String packageVersion) {
        return require("debian-" + safe(release) + "_" + safe(packageVersion));
    }

    /** The key of a kernel built from a source tree. */
    public static String localBuild(String kernelVersion, String sourceIdentity, String arch, String fragmentSha256) {
        return require("local-" + safe(kernelVersion) + "-" + safe(sourceIdentity) + "-" + safe(arch) + "-kc"
                + fragmentSha256.substring(0, 12));
    }

    /** The key of an image imported from a path. */
    public static String pathImport(String release, String imageSha256) {
        String r = release.isEmpty() ? "unknown" : safe(release);
        return require("path-" + r + "-" + imageSha256.substring(0, 12));
    }

    /** CRC-32 of a string as 8 hex digits: a short, stable tag for a path. */
    public static String crc32(String s) {
        CRC32 crc = new CRC32();
        crc.update(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }

    /** Replaces characters not allowed in keys by {@code _}. */
    static String safe(String part) {
        return UNSAFE.matcher(part).replaceAll("_");
    }
}

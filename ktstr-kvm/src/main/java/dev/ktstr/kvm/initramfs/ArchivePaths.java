package dev.ktstr.kvm.initramfs;

/**
 * Rules for paths inside the archive: absolute, normalised ({@code /a/b}, no {@code .}, {@code ..},
 * empty components or trailing slash), at most 4095 bytes (the kernel's PATH_MAX less the NUL).
 */
final class ArchivePaths {

    static final int MAX_NAME_BYTES = 4095;

    private ArchivePaths() {}

    /** Returns {@code path} if valid, else throws naming the rule it breaks. */
    static String check(String path) {
        if (path == null || path.isEmpty() || path.charAt(0) != '/') {
            throw new IllegalArgumentException("archive path must be absolute: '" + path + "'");
        }
        if (path.length() == 1) {
            throw new IllegalArgumentException("archive path '/' is the root itself, not an entry");
        }
        if (path.endsWith("/") || path.contains("//") || path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("archive path is not normalised: '" + path + "'");
        }
        for (String part : path.substring(1).split("/", -1)) {
            if (part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("archive path contains '" + part + "': '" + path + "'");
            }
        }
        if (path.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("archive path longer than " + MAX_NAME_BYTES + " bytes: '"
                    + path.substring(0, 64) + "...'");
        }
        return path;
    }

    /** Lexical normalisation of an absolute path string ({@code /a/./b/../c} → {@code /a/c}). */
    static String normalize(String absolute) {
        if (absolute.isEmpty() || absolute.charAt(0) != '/') {
            throw new IllegalArgumentException("not an absolute path: '" + absolute + "'");
        }
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (String part : absolute.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(part);
            }
        }
        return "/" + String.join("/", parts);
    }

    /** The parent of a checked archive path, or {@code null} for a top-level entry. */
    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? null : path.substring(0, slash);
    }
}

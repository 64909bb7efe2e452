package dev.ktstr.kvm.initramfs;

import java.util.Objects;

/**
 * A host file or directory to put into the base archive, with its DT_NEEDED closure if it is an ELF
 * file (every ELF file inside an included directory too).
 *
 * @param source      a path (absolute, or relative to the working directory, when it contains a
 *                    slash) or a bare command name, looked up in {@code PATH} when the base is planned
 * @param destination absolute archive path for the file or the directory's root
 */
public record Include(String source, String destination) {

    public Include {
        Objects.requireNonNull(source, "source");
        if (source.isEmpty()) {
            throw new IllegalArgumentException("include source is empty");
        }
        ArchivePaths.check(destination);
    }

    /** {@code source} at {@code /include-files/<its file name>}. */
    public static Include of(String source) {
        String trimmed = source.endsWith("/") && source.length() > 1 ? source.substring(0, source.length() - 1) : source;
        String name = trimmed.substring(trimmed.lastIndexOf('/') + 1);
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("include '" + source + "' has no file name; give a destination");
        }
        return new Include(trimmed, InitramfsLayout.INCLUDE_DIR + "/" + name);
    }

    /** {@code source} at an explicit archive path. */
    public static Include at(String source, String destination) {
        return new Include(source, destination);
    }

    /** Whether the source is a bare name to look up in {@code PATH}. */
    public boolean isBareName() {
        return !source.contains("/");
    }
}

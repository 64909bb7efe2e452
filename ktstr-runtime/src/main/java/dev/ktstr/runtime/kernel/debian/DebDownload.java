package dev.ktstr.runtime.kernel.debian;

import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.KernelException.Kind;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One package download as apt publishes it ({@code apt-get --print-uris download}): where it is,
 * its file name, size and checksum from the signed archive index. The checksum is what makes a
 * download outside apt as trustworthy as one through it.
 *
 * @param uri       the URL (percent-encoded, as apt prints it)
 * @param fileName  {@code <package>_<version>_<arch>.deb}
 * @param size      bytes (0 when apt does not know)
 * @param hashType  apt's hash name: {@code SHA256}, {@code SHA512}, …
 * @param hash      lower-case hex
 */
public record DebDownload(URI uri, String fileName, long size, String hashType, String hash) {

    private static final Pattern LINE = Pattern.compile("'([^']+)'\\s+(\\S+)\\s+(\\d+)\\s+(\\S+):([0-9A-Fa-f]+)");

    /** The package name (before the first {@code _}). */
    public String packageName() {
        return fileName.substring(0, fileName.indexOf('_'));
    }

    /** The package version from the file name, with apt's {@code %3a} epoch escape undone. */
    public String packageVersion() {
        String[] parts = fileName.split("_");
        return parts.length >= 3 ? parts[1].replace("%3a", ":") : "";
    }

    /** The JDK {@code MessageDigest} name of {@link #hashType()}. */
    public String digestAlgorithm() throws KernelException {
        return switch (hashType.toUpperCase(Locale.ROOT)) {
            case "SHA256" -> "SHA-256";
            case "SHA512" -> "SHA-512";
            case "SHA1" -> "SHA-1";
            case "MD5SUM", "MD5" -> "MD5";
            default -> throw new KernelException(Kind.FETCH_FAILED, "apt published an unknown hash type '"
                    + hashType + "' for " + fileName);
        };
    }

    /** Parses the output of {@code apt-get --print-uris download}; lines of other shapes are ignored. */
    public static List<DebDownload> parsePrintUris(String output) {
        List<DebDownload> out = new ArrayList<>();
        for (String line : output.split("\n")) {
            Matcher m = LINE.matcher(line.strip());
            if (m.matches()) {
                out.add(new DebDownload(URI.create(m.group(1)), m.group(2), Long.parseLong(m.group(3)), m.group(4),
                        m.group(5).toLowerCase(Locale.ROOT)));
            }
        }
        return out;
    }
}

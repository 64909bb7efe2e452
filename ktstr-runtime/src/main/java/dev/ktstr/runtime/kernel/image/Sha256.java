package dev.ktstr.runtime.kernel.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests as lower-case hex, the form apt, {@code sha256sum} and the cache metadata use. */
public final class Sha256 {

    private Sha256() {}

    public static String of(byte[] data) {
        return HexFormat.of().formatHex(digest().digest(data));
    }

    public static String of(String text) {
        return of(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static String ofFile(Path file) throws IOException {
        MessageDigest md = digest();
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** A fresh SHA-256 digest (every JDK has it). */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}

package dev.ktstr.kvm.initramfs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SHA-256 of host files, memoised per real path and validated by {@link FileIdentity}: a file is
 * read once per process as long as its stat identity does not change, so planning a base for the
 * hundredth VM costs a {@code stat} per input, not a read.
 */
final class ContentHasher {

    private record Memo(FileIdentity identity, String sha256) {}

    private final ConcurrentHashMap<Path, Memo> memo = new ConcurrentHashMap<>();

    /** Digest and identity of {@code realPath} (already resolved with {@code toRealPath}). */
    FileContent.HostFile hash(Path realPath) throws IOException {
        FileIdentity before = FileIdentity.of(realPath);
        Memo m = memo.get(realPath);
        if (m != null && m.identity().equals(before)) {
            return new FileContent.HostFile(realPath, before, m.sha256());
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            String sha = sha256Hex(realPath);
            FileIdentity after = FileIdentity.of(realPath);
            if (after.equals(before)) {
                memo.put(realPath, new Memo(after, sha));
                return new FileContent.HostFile(realPath, after, sha);
            }
            before = after;
        }
        throw new IOException(realPath + " keeps changing while it is being hashed");
    }

    static String sha256Hex(Path file) throws IOException {
        MessageDigest md = newDigest();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String sha256Hex(byte[] data) {
        return HexFormat.of().formatHex(newDigest().digest(data));
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}

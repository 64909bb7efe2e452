package dev.ktstr.runtime.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The static guest agent shipped inside ktstr-agent's jar ({@code dev/ktstr/agent/ktstr-agent}),
 * materialised once per content hash under the ktstr cache so it can be exec'd on the host and packed
 * into initramfs images. {@code KTSTR_AGENT} overrides it with a path (agent development).
 */
public final class AgentBinary {

    public static final String RESOURCE = "/dev/ktstr/agent/ktstr-agent";

    private static volatile Path cached;

    private AgentBinary() {}

    /** The agent executable on disk. */
    public static synchronized Path path() throws IOException {
        String override = System.getenv("KTSTR_AGENT");
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override);
            if (!Files.isExecutable(p)) {
                throw new IOException("KTSTR_AGENT=" + override + " is not an executable file");
            }
            return p;
        }
        if (cached != null && Files.isExecutable(cached)) {
            return cached;
        }
        byte[] bytes;
        try (InputStream in = AgentBinary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("the agent binary " + RESOURCE + " is not on the class path (build ktstr-agent)");
            }
            bytes = in.readAllBytes();
        }
        String hash = sha256(bytes).substring(0, 16);
        Path dir = cacheRoot().resolve("agent").resolve(hash);
        Path target = dir.resolve("ktstr-agent");
        if (!Files.isExecutable(target) || Files.size(target) != bytes.length) {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "ktstr-agent", ".tmp");
            Files.write(tmp, bytes);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        cached = target;
        return target;
    }

    /** The ktstr cache root ({@link dev.ktstr.runtime.kernel.KernelEnvironment#cacheRoot()}). */
    public static Path cacheRoot() {
        return dev.ktstr.runtime.kernel.KernelEnvironment.system().cacheRoot();
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}

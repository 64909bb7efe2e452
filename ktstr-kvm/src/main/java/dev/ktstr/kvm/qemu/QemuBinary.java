package dev.ktstr.kvm.qemu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Finds {@code qemu-system-x86_64} ({@code KTSTR_QEMU}, else PATH) and reads its version once. */
public final class QemuBinary {

    private static volatile QemuBinary cached;

    private final Path path;
    private final String version;

    private QemuBinary(Path path, String version) {
        this.path = path;
        this.version = version;
    }

    /** The QEMU binary, or empty when none is installed. */
    public static Optional<QemuBinary> find() {
        QemuBinary b = cached;
        if (b != null) {
            return Optional.of(b);
        }
        String override = System.getenv("KTSTR_QEMU");
        Optional<Path> p = override != null && !override.isBlank() ? Optional.of(Path.of(override)).filter(Files::isExecutable)
                : onPath("qemu-system-x86_64");
        if (p.isEmpty()) {
            return Optional.empty();
        }
        b = new QemuBinary(p.get(), readVersion(p.get()));
        cached = b;
        return Optional.of(b);
    }

    static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path c = Path.of(dir, name);
            if (Files.isExecutable(c)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    private static String readVersion(Path p) {
        try {
            Process proc = new ProcessBuilder(p.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            proc.waitFor(10, TimeUnit.SECONDS);
            String first = out.lines().findFirst().orElse("");
            int i = first.indexOf("version ");
            return i < 0 ? first.trim() : first.substring(i + 8).split(" ")[0];
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    public Path path() {
        return path;
    }

    public String version() {
        return version;
    }
}

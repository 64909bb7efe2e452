package dev.ktstr.kvm.initramfs;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Host programs the tests compare against (cpio, lz4, ldd, gcc, qemu), skipped with a reason when absent. */
final class HostTools {

    private HostTools() {}

    static Optional<Path> find(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The tool, or the test is skipped saying which Debian package provides it. */
    static Path require(String name, String debianPackage) {
        Optional<Path> p = find(name);
        assumeTrue(p.isPresent(), name + " is not installed (Debian package " + debianPackage + "); skipping");
        return p.get();
    }

    /** Result of a finished command. */
    record Result(int exit, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    /** Runs {@code cmd} with {@code stdin}, waiting at most {@code timeoutS}; fails on timeout. */
    static Result run(List<String> cmd, byte[] stdin, Path cwd, Map<String, String> env, long timeoutS)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd));
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
        if (env != null) {
            pb.environment().putAll(env);
        }
        Process p = pb.start();
        try {
            Thread feeder = new Thread(() -> {
                try (var in = p.getOutputStream()) {
                    if (stdin != null) {
                        in.write(stdin);
                    }
                } catch (IOException e) {
                    // The command may exit before reading all input (e.g. on an error it reports itself).
                }
            });
            feeder.start();
            byte[][] err = new byte[1][];
            Thread errReader = new Thread(() -> {
                try (InputStream e = p.getErrorStream()) {
                    err[0] = e.readAllBytes();
                } catch (IOException e) {
                    err[0] = ("<stderr unreadable: " + e + ">").getBytes(StandardCharsets.UTF_8);
                }
            });
            errReader.start();
            byte[] out;
            try (InputStream o = p.getInputStream()) {
                out = o.readAllBytes();
            }
            if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
                throw new IOException(cmd + " did not finish within " + timeoutS + " s");
            }
            feeder.join();
            errReader.join();
            return new Result(p.exitValue(), out, new String(err[0], StandardCharsets.UTF_8));
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor();
            }
        }
    }

    static Result run(List<String> cmd, byte[] stdin) throws IOException, InterruptedException {
        return run(cmd, stdin, null, null, 120);
    }

    /** Compiles C source with gcc; skipped when gcc is absent. */
    static void gcc(Path workDir, List<String> args) throws IOException, InterruptedException {
        Path gcc = require("gcc", "gcc");
        List<String> cmd = new ArrayList<>();
        cmd.add(gcc.toString());
        cmd.addAll(args);
        Result r = run(cmd, null, workDir, null, 300);
        if (r.exit() != 0) {
            throw new IOException("gcc " + args + " failed: " + r.stderr());
        }
    }
}

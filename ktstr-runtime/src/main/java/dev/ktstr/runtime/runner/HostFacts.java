package dev.ktstr.runtime.runner;

import dev.ktstr.kvm.engine.HostVirtualization;
import dev.ktstr.runtime.result.HostContext;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Facts about the host and the project recorded with every result, gathered once per JVM. */
final class HostFacts {

    private static volatile HostContext host;
    private static volatile String commit;

    private HostFacts() {}

    static HostContext host() {
        HostContext h = host;
        if (h == null) {
            h = new HostContext(hostname(), cpuModel(), Runtime.getRuntime().availableProcessors(), memoryMb(),
                    read("/proc/sys/kernel/osrelease"), HostVirtualization.probe().kind().name().toLowerCase(),
                    System.getProperty("java.version"));
            host = h;
        }
        return h;
    }

    /** The project's git commit (12 hex digits, "-dirty" with local changes), or "unknown" outside git. */
    static String projectCommit() {
        String c = commit;
        if (c == null) {
            String head = git("rev-parse", "--short=12", "HEAD");
            if (head.isEmpty()) {
                c = "unknown";
            } else {
                c = git("status", "--porcelain", "--untracked-files=no").isEmpty() ? head : head + "-dirty";
            }
            commit = c;
        }
        return c;
    }

    private static String git(String... args) {
        try {
            String[] cmd = new String[args.length + 1];
            cmd[0] = "git";
            System.arraycopy(args, 0, cmd, 1, args.length);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return read("/proc/sys/kernel/hostname");
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static long memoryMb() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024).findFirst().orElse(0);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path)).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}

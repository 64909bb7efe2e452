package dev.ktstr.kvm.initramfs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The applet names of a busybox binary, from {@code busybox --list}, memoised per content digest
 * (running it costs milliseconds; planning a base for every VM must not).
 */
final class BusyboxApplets {

    private final ConcurrentHashMap<String, List<String>> bySha = new ConcurrentHashMap<>();

    /** Sorted applet names of {@code busybox} (whose content digest is {@code sha256}), without "busybox". */
    List<String> applets(Path busybox, String sha256) throws IOException, InitramfsException {
        List<String> known = bySha.get(sha256);
        if (known != null) {
            return known;
        }
        List<String> listed = run(busybox);
        bySha.put(sha256, listed);
        return listed;
    }

    private static List<String> run(Path busybox) throws IOException, InitramfsException {
        Process p = new ProcessBuilder(busybox.toString(), "--list").redirectErrorStream(true).start();
        try (InputStream in = p.getInputStream()) {
            p.getOutputStream().close();
            String out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                throw new InitramfsException(busybox + " --list did not finish within 30 s");
            }
            if (p.exitValue() != 0) {
                throw new InitramfsException(busybox + " --list exited with " + p.exitValue() + ": "
                        + out.strip().lines().findFirst().orElse(""));
            }
            TreeSet<String> names = new TreeSet<>();
            for (String line : out.split("\n")) {
                String name = line.strip();
                if (!name.isEmpty() && !name.equals("busybox") && name.matches("[A-Za-z0-9._\\[\\]-]+")) {
                    names.add(name);
                }
            }
            if (names.isEmpty()) {
                throw new InitramfsException(busybox + " --list printed no applets; is it busybox?");
            }
            return List.copyOf(new ArrayList<>(names));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InitramfsException("interrupted while running " + busybox + " --list", e);
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }
}

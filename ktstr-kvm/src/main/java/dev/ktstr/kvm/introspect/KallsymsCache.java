package dev.ktstr.kvm.introspect;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * An on-disk cache of a kernel build's symbol addresses, keyed by the vmlinux GNU build id, so the
 * guest's {@code /proc/kallsyms} is read once per kernel build rather than once per boot. This is only
 * sound for symbols of a guest booted with {@code nokaslr} (identical addresses on every boot): store
 * only symbols that passed {@link KernelView#checkNotRandomized}. Files are gzip'd text
 * ({@code <hex address> <name>} per line after a header line) and are replaced atomically, so
 * concurrent test JVMs never see a half-written entry.
 */
public final class KallsymsCache {

    private static final String HEADER = "# ktstr kallsyms cache v1 build-id ";
    private static final Pattern BUILD_ID = Pattern.compile("[0-9a-f]{8,128}");

    private final Path dir;

    public KallsymsCache(Path dir) {
        this.dir = dir;
    }

    /** {@code $XDG_CACHE_HOME/ktstr/kallsyms}, else {@code ~/.cache/ktstr/kallsyms}. */
    public static Path defaultDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("ktstr").resolve("kallsyms");
    }

    public Path dir() {
        return dir;
    }

    private Path file(String buildId) {
        if (!BUILD_ID.matcher(buildId).matches()) {
            throw new IllegalArgumentException("not a hex build id: '" + buildId + "'");
        }
        return dir.resolve(buildId + ".syms.gz");
    }

    /** The cached symbols of build {@code buildId}, or empty when none are cached. */
    public Optional<KernelSymbols> load(String buildId) throws IOException, IntrospectException {
        Path f = file(buildId);
        List<Map.Entry<String, Long>> entries = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(f)), StandardCharsets.UTF_8))) {
            String header = r.readLine();
            if (header == null || !header.equals(HEADER + buildId)) {
                throw new IntrospectException(f + ": not a kallsyms cache entry for build " + buildId + " (header '"
                        + header + "')");
            }
            String line;
            int n = 1;
            while ((line = r.readLine()) != null) {
                n++;
                int sp = line.indexOf(' ');
                if (sp <= 0) {
                    throw new IntrospectException(f + ": line " + n + " is not '<address> <name>'");
                }
                try {
                    entries.add(Map.entry(line.substring(sp + 1), Long.parseUnsignedLong(line.substring(0, sp), 16)));
                } catch (NumberFormatException e) {
                    throw new IntrospectException(f + ": line " + n + " has a bad address");
                }
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return Optional.of(KernelSymbols.of("kallsyms cache " + f, entries));
    }

    /** Stores {@code symbols} for build {@code buildId}, atomically replacing any previous entry. */
    public Path store(String buildId, KernelSymbols symbols) throws IOException {
        Path f = file(buildId);
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, buildId, ".tmp");
        try {
            try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(
                    new GZIPOutputStream(Files.newOutputStream(tmp)), StandardCharsets.UTF_8))) {
                w.write(HEADER + buildId);
                w.write('\n');
                for (Map.Entry<String, Long> e : symbols.entries()) {
                    w.write(Long.toHexString(e.getValue()));
                    w.write(' ');
                    w.write(e.getKey());
                    w.write('\n');
                }
            }
            try {
                Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return f;
    }
}

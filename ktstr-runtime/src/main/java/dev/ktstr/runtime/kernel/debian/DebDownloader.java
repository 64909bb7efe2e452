package dev.ktstr.runtime.kernel.debian;

import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.KernelException.Kind;
import dev.ktstr.runtime.kernel.ProgressSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Downloads a .deb that apt located ({@link DebDownload}) over HTTP(S) with a progress bar, checking
 * the size and the checksum apt took from the signed archive index before the file is used. The file
 * appears under its final name only once it is verified.
 */
public final class DebDownloader {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(30);
    private static final int ATTEMPTS = 3;

    private final HttpClient client;

    private DebDownloader(HttpClient client) {
        this.client = client;
    }

    /** A downloader that goes through {@code proxy} when given (apt's own proxy setting). */
    public static DebDownloader create(Optional<URI> proxy) {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL);
        proxy.filter(p -> p.getHost() != null).ifPresent(p -> b.proxy(ProxySelector.of(
                new InetSocketAddress(p.getHost(), p.getPort() > 0 ? p.getPort() : 80))));
        return new DebDownloader(b.build());
    }

    /** Whether this downloader can fetch {@code uri} (apt also knows cdrom:, file:, mirror+… methods). */
    public static boolean canFetch(URI uri) {
        String s = uri.getScheme();
        return "http".equalsIgnoreCase(s) || "https".equalsIgnoreCase(s);
    }

    /**
     * Downloads {@code d} into {@code dir}, retrying transport failures, and returns the verified file.
     *
     * @throws KernelException {@link Kind#FETCH_FAILED} on HTTP or I/O errors,
     *     {@link Kind#CHECKSUM_MISMATCH} when the bytes are not what the index promised
     */
    public Path download(DebDownload d, Path dir, ProgressSink progress) throws KernelException {
        Path target = dir.resolve(d.fileName());
        Path partial = dir.resolve(d.fileName() + ".partial");
        KernelException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                fetchOnce(d, partial, progress);
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return target;
            } catch (IOException e) {
                last = new KernelException(Kind.FETCH_FAILED, "downloading " + d.uri() + " failed (attempt " + attempt
                        + " of " + ATTEMPTS + "): " + e, e);
                progress.warning(last.getMessage());
            } finally {
                deletePartial(partial, last);
            }
        }
        throw last;
    }

    private void fetchOnce(DebDownload d, Path partial, ProgressSink progress) throws IOException, KernelException {
        HttpRequest req = HttpRequest.newBuilder(d.uri()).timeout(REQUEST_TIMEOUT).GET().build();
        HttpResponse<InputStream> resp;
        try {
            resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelException(Kind.FETCH_FAILED, "interrupted while downloading " + d.uri(), e);
        }
        MessageDigest md = digest(d);
        long n = 0;
        try (InputStream in = resp.body();
                OutputStream out = Files.newOutputStream(partial);
                ProgressSink.Transfer t = progress.transfer(d.fileName(), d.size() > 0 ? d.size() : -1)) {
            if (resp.statusCode() != 200) {
                throw new KernelException(Kind.FETCH_FAILED, "GET " + d.uri() + " answered HTTP " + resp.statusCode());
            }
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                out.write(buf, 0, r);
                md.update(buf, 0, r);
                n += r;
                t.advance(r);
            }
        }
        if (d.size() > 0 && n != d.size()) {
            throw new KernelException(Kind.CHECKSUM_MISMATCH, d.fileName() + ": got " + n + " bytes, the archive index"
                    + " says " + d.size());
        }
        String got = HexFormat.of().formatHex(md.digest());
        if (!got.equals(d.hash())) {
            throw new KernelException(Kind.CHECKSUM_MISMATCH, d.fileName() + ": " + d.hashType() + " " + got
                    + ", the archive index says " + d.hash());
        }
    }

    private static MessageDigest digest(DebDownload d) throws KernelException {
        try {
            return MessageDigest.getInstance(d.digestAlgorithm());
        } catch (NoSuchAlgorithmException e) {
            throw new KernelException(Kind.FETCH_FAILED, "the JDK lacks " + d.digestAlgorithm(), e);
        }
    }

    private static void deletePartial(Path partial, Exception context) {
        try {
            Files.deleteIfExists(partial);
        } catch (IOException e) {
            if (context != null) {
                context.addSuppressed(e);
            }
        }
    }

    /** Verifies a file apt downloaded itself (the non-HTTP path) against {@code d}. */
    public static void verify(DebDownload d, Path file) throws KernelException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = digest(d);
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
            }
            String got = HexFormat.of().formatHex(md.digest());
            if (!got.equals(d.hash())) {
                throw new KernelException(Kind.CHECKSUM_MISMATCH, file + ": " + d.hashType() + " " + got
                        + ", the archive index says " + d.hash());
            }
        } catch (IOException e) {
            throw new KernelException(Kind.FETCH_FAILED, "cannot read " + file + ": " + e, e);
        }
    }
}

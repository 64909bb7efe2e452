package dev.ktstr.runtime.kernel.debian;

import dev.ktstr.runtime.kernel.KernelEnvironment;
import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.KernelException.Kind;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Debian archive to fetch kernels from. It is never configured in this project: it is derived
 * from the machine's own apt sources (the first {@code deb} entry whose suites include the machine's
 * release codename), so ktstr uses whatever mirror or proxy the administrator chose. The variable
 * {@code KTSTR_DEBIAN_MIRROR} overrides it, e.g. on hosts that are not Debian.
 *
 * @param uri    the archive root, without a trailing slash
 * @param origin where it came from ({@code /etc/apt/sources.list.d/debian.sources:1}), for messages
 */
public record DebianMirror(URI uri, String origin) {

    /**
     * Picks the mirror serving {@code os}'s release from {@code entries}.
     *
     * @throws KernelException {@link Kind#NO_MIRROR} when the host is not Debian or no entry matches
     */
    public static DebianMirror derive(OsRelease os, List<AptSourceEntry> entries, String lookedAt)
            throws KernelException {
        if (!os.isDebian()) {
            throw new KernelException(Kind.NO_MIRROR, "this host is '" + (os.id().isEmpty() ? "unknown" : os.id())
                    + "', not Debian, so its apt sources name no Debian mirror; set "
                    + KernelEnvironment.KTSTR_DEBIAN_MIRROR + " to a Debian archive URI");
        }
        if (os.codename().isEmpty()) {
            throw new KernelException(Kind.NO_MIRROR, "os-release has no VERSION_CODENAME; set "
                    + KernelEnvironment.KTSTR_DEBIAN_MIRROR + " to a Debian archive URI");
        }
        for (AptSourceEntry e : entries) {
            if (e.servesBinary(os.codename()) && !e.uris().isEmpty()) {
                return of(e.uris().get(0), e.origin());
            }
        }
        throw new KernelException(Kind.NO_MIRROR, "no 'deb' source for suite '" + os.codename() + "' in " + lookedAt
                + "; set " + KernelEnvironment.KTSTR_DEBIAN_MIRROR + " to a Debian archive URI");
    }

    /** The override, or the mirror derived from {@code env}'s {@code /etc}. */
    public static DebianMirror fromMachine(KernelEnvironment env) throws KernelException {
        var override = env.get(KernelEnvironment.KTSTR_DEBIAN_MIRROR);
        if (override.isPresent()) {
            return of(override.get(), KernelEnvironment.KTSTR_DEBIAN_MIRROR);
        }
        Path etc = env.etc();
        Path osRelease = Files.isRegularFile(etc.resolve("os-release")) ? etc.resolve("os-release")
                : Path.of("/usr/lib/os-release");
        OsRelease os;
        try {
            os = OsRelease.parse(Files.readString(osRelease));
        } catch (IOException e) {
            throw new KernelException(Kind.NO_MIRROR, "cannot read " + osRelease + ": " + e + "; set "
                    + KernelEnvironment.KTSTR_DEBIAN_MIRROR, e);
        }
        Path apt = etc.resolve("apt");
        return derive(os, readSources(apt), apt.resolve("sources.list") + " and " + apt.resolve("sources.list.d"));
    }

    /**
     * Every entry of {@code sources.list}, {@code sources.list.d/*.list} (one-line) and
     * {@code sources.list.d/*.sources} (deb822), in that order, files sorted by name.
     */
    public static List<AptSourceEntry> readSources(Path etcApt) throws KernelException {
        List<AptSourceEntry> out = new ArrayList<>();
        try {
            Path main = etcApt.resolve("sources.list");
            if (Files.isRegularFile(main)) {
                out.addAll(AptSourcesParser.parseOneLine(Files.readString(main), main.toString()));
            }
            Path parts = etcApt.resolve("sources.list.d");
            if (Files.isDirectory(parts)) {
                List<Path> files = new ArrayList<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(parts)) {
                    ds.forEach(files::add);
                }
                files.sort(null);
                for (Path f : files) {
                    String name = f.getFileName().toString();
                    if (name.endsWith(".list") && Files.isRegularFile(f)) {
                        out.addAll(AptSourcesParser.parseOneLine(Files.readString(f), f.toString()));
                    }
                }
                for (Path f : files) {
                    String name = f.getFileName().toString();
                    if (name.endsWith(".sources") && Files.isRegularFile(f)) {
                        out.addAll(AptSourcesParser.parseDeb822(Files.readString(f), f.toString()));
                    }
                }
            }
        } catch (IOException e) {
            throw new KernelException(Kind.NO_MIRROR, "cannot read apt sources under " + etcApt + ": " + e, e);
        }
        return out;
    }

    private static DebianMirror of(String uri, String origin) throws KernelException {
        String u = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
        try {
            URI parsed = new URI(u);
            if (parsed.getScheme() == null) {
                throw new URISyntaxException(u, "no scheme");
            }
            return new DebianMirror(parsed, origin);
        } catch (URISyntaxException e) {
            throw new KernelException(Kind.NO_MIRROR, "mirror '" + uri + "' from " + origin + " is not a URI: "
                    + e.getMessage(), e);
        }
    }
}

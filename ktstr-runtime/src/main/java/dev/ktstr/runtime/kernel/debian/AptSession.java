package dev.ktstr.runtime.kernel.debian;

import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.KernelException.Kind;
import dev.ktstr.runtime.kernel.cache.KernelCache;
import dev.ktstr.runtime.kernel.process.ProcessResult;
import dev.ktstr.runtime.kernel.process.ProcessRunner;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * apt with a private source list and private state: one {@code deb} line for the wanted suite in a
 * scratch directory, package lists, caches and archives in that directory, an empty dpkg status.
 * The system's apt configuration, lists and caches are read for settings (proxies) but never
 * written. The scratch directory is deleted on {@link #close()} (or by the next cache sweep if this
 * process is killed).
 */
public final class AptSession implements AutoCloseable {

    /** The Debian archive keyring shipped by the {@code debian-archive-keyring} package. */
    public static final Path DEBIAN_KEYRING = Path.of("/usr/share/keyrings/debian-archive-keyring.gpg");
    static final Duration UPDATE_TIMEOUT = Duration.ofMinutes(5);
    static final Duration QUERY_TIMEOUT = Duration.ofMinutes(1);
    static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(30);
    private static final Pattern SHELL_VALUE = Pattern.compile("^\\w+='(.*)'$", Pattern.MULTILINE);

    private final Path dir;
    private final String sourceLine;
    private final List<String> options;

    private AptSession(Path dir, String sourceLine, List<String> options) {
        this.dir = dir;
        this.sourceLine = sourceLine;
        this.options = List.copyOf(options);
    }

    /**
     * Creates the private apt state in {@code scratch} (which must not exist).
     *
     * @throws KernelException {@link Kind#TOOL_MISSING} without apt or the keyring
     */
    public static AptSession open(Path scratch, DebianMirror mirror, String suite, Path keyring)
            throws KernelException {
        for (String tool : List.of("apt-get", "apt-cache", "dpkg-deb")) {
            if (!ProcessRunner.onPath(tool)) {
                throw new KernelException(Kind.TOOL_MISSING, tool + " is not on PATH: fetching Debian kernels needs "
                        + "apt and dpkg (a Debian or Debian-based host); or build one with 'ktstr kernel build'");
            }
        }
        if (!Files.isReadable(keyring)) {
            throw new KernelException(Kind.TOOL_MISSING, "the Debian archive keyring " + keyring
                    + " is missing: install the Debian package debian-archive-keyring");
        }
        String line = "deb [signed-by=" + keyring + "] " + mirror.uri() + " " + suite + " main\n";
        try {
            Files.createDirectories(dir(scratch, "lists/partial"));
            Files.createDirectories(dir(scratch, "archives/partial"));
            Files.createDirectories(dir(scratch, "cache"));
            Files.createDirectories(dir(scratch, "preferences.d"));
            Files.writeString(scratch.resolve("sources.list"), line);
        } catch (IOException e) {
            KernelCache.deleteTree(scratch);
            throw new KernelException(Kind.CACHE_IO, "cannot create apt scratch directory " + scratch + ": " + e, e);
        }
        List<String> opts = new ArrayList<>();
        for (String o : List.of(
                "Dir::Etc::SourceList=" + scratch.resolve("sources.list"),
                "Dir::Etc::SourceParts=/dev/null",
                "Dir::Etc::Preferences=/dev/null",
                "Dir::Etc::PreferencesParts=" + scratch.resolve("preferences.d"),
                "Dir::State::Lists=" + scratch.resolve("lists"),
                "Dir::Cache=" + scratch.resolve("cache"),
                "Dir::Cache::archives=" + scratch.resolve("archives"),
                "Dir::State::status=/dev/null",
                "APT::Sandbox::User=root",
                "Acquire::Languages=none")) {
            opts.add("-o");
            opts.add(o);
        }
        return new AptSession(scratch, line.strip(), opts);
    }

    private static Path dir(Path root, String rel) {
        return root.resolve(rel);
    }

    /** The scratch directory. */
    public Path directory() {
        return dir;
    }

    /** The one source line this session uses. */
    public String sourceLine() {
        return sourceLine;
    }

    /** {@code apt-get update} of the private lists; any failed index is an error. */
    public void update() throws KernelException {
        ProcessResult r = apt("apt-get", UPDATE_TIMEOUT, List.of("--error-on=any", "update"));
        if (!r.ok()) {
            throw new KernelException(Kind.FETCH_FAILED, "cannot read the package index (" + sourceLine + "): "
                    + r.describeFailure());
        }
    }

    /** Package names matching {@code regex} ({@code apt-cache search --names-only}). */
    public List<String> searchNames(String regex) throws KernelException {
        ProcessResult r = apt("apt-cache", QUERY_TIMEOUT, List.of("search", "--names-only", regex));
        if (!r.ok()) {
            throw new KernelException(Kind.FETCH_FAILED, r.describeFailure());
        }
        List<String> names = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            int sep = line.indexOf(" - ");
            if (sep > 0) {
                names.add(line.substring(0, sep).strip());
            }
        }
        return names;
    }

    /** Where and what apt would download for {@code packages}, with sizes and checksums. */
    public List<DebDownload> printUris(List<String> packages) throws KernelException {
        List<String> args = new ArrayList<>(List.of("--print-uris", "download"));
        args.addAll(packages);
        ProcessResult r = apt("apt-get", QUERY_TIMEOUT, args);
        if (!r.ok()) {
            throw new KernelException(Kind.FETCH_FAILED, r.describeFailure());
        }
        List<DebDownload> d = DebDownload.parsePrintUris(r.stdout());
        for (String p : packages) {
            if (d.stream().noneMatch(x -> x.packageName().equals(p))) {
                throw new KernelException(Kind.FETCH_FAILED, "apt printed no download for " + p + ": "
                        + ProcessResult.tail(r.stdout() + r.stderr(), 3));
            }
        }
        return d;
    }

    /** Downloads {@code packages} with apt itself into {@code into} (for URIs Java cannot fetch). */
    public void downloadWithApt(List<String> packages, Path into) throws KernelException {
        List<String> args = new ArrayList<>(List.of("download"));
        args.addAll(packages);
        ProcessResult r = run(ProcessRunner.Spec.of(DOWNLOAD_TIMEOUT, command("apt-get", args)).in(into));
        if (!r.ok()) {
            throw new KernelException(Kind.FETCH_FAILED, r.describeFailure());
        }
    }

    /** The HTTP proxy apt is configured with ({@code Acquire::http::Proxy}), if any. */
    public Optional<URI> httpProxy() throws KernelException {
        ProcessResult r = run(ProcessRunner.Spec.of(QUERY_TIMEOUT,
                List.of("apt-config", "shell", "PROXY", "Acquire::http::Proxy")));
        Matcher m = SHELL_VALUE.matcher(r.stdout());
        if (r.ok() && m.find() && !m.group(1).isBlank() && !m.group(1).equalsIgnoreCase("DIRECT")) {
            try {
                return Optional.of(URI.create(m.group(1)));
            } catch (IllegalArgumentException e) {
                throw new KernelException(Kind.FETCH_FAILED, "apt's Acquire::http::Proxy '" + m.group(1)
                        + "' is not a URI", e);
            }
        }
        return Optional.empty();
    }

    private ProcessResult apt(String tool, Duration timeout, List<String> args) throws KernelException {
        return run(ProcessRunner.Spec.of(timeout, command(tool, args)));
    }

    private List<String> command(String tool, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(tool);
        cmd.addAll(options);
        cmd.addAll(args);
        return cmd;
    }

    static ProcessResult run(ProcessRunner.Spec spec) throws KernelException {
        try {
            return ProcessRunner.run(spec.withEnvironment(java.util.Map.of("LC_ALL", "C")));
        } catch (IOException e) {
            throw new KernelException(Kind.TOOL_MISSING, "cannot run " + spec.command().get(0) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelException(Kind.FETCH_FAILED, "interrupted while running " + spec.command().get(0), e);
        }
    }

    @Override
    public void close() throws KernelException {
        KernelCache.deleteTree(dir);
    }
}

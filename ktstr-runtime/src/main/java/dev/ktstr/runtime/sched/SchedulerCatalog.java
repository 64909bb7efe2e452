package dev.ktstr.runtime.sched;

import dev.ktstr.runtime.kernel.ProgressSink;
import dev.ktstr.runtime.kernel.ResolvedKernel;
import dev.ktstr.runtime.sched.SchedulerException.Kind;
import dev.ktstr.runtime.sched.build.BtfKey;
import dev.ktstr.runtime.sched.build.SchedulerCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the binary a {@code @Scheduler(binary = …)} names, before any VM boots (ktstr facts §6.2,
 * discovery): a value with a slash is a path (relative to the working directory) and nothing else
 * is tried; a bare name is looked up in {@code $KTSTR_SCHEDULER_DIR}, then in the scheduler cache
 * entry for the kernel under test, which is built on demand when the name is one ktstr builds
 * ({@link BuildableScheduler}). When nothing matches, the error names every place searched, so a
 * test with a misspelt binary fails at once with the evidence.
 */
public final class SchedulerCatalog {

    /** A directory of ready scheduler binaries; searched before the cache. */
    public static final String KTSTR_SCHEDULER_DIR = "KTSTR_SCHEDULER_DIR";

    private final Map<String, String> env;
    private final Path cwd;
    private final SchedulerCache cache;

    public SchedulerCatalog(Map<String, String> env, Path cwd, SchedulerCache cache) {
        this.env = Map.copyOf(env);
        this.cwd = cwd.toAbsolutePath().normalize();
        this.cache = cache;
    }

    /** The catalog of this process: its environment, working directory and the machine's cache. */
    public static SchedulerCatalog system() {
        return new SchedulerCatalog(System.getenv(), Path.of(""), SchedulerCache.system());
    }

    /** Where a binary was found. */
    public enum Origin {
        /** The name was a path. */
        PATH,
        /** {@code $KTSTR_SCHEDULER_DIR}. */
        SCHEDULER_DIR,
        /** The scheduler cache (possibly built just now). */
        CACHE
    }

    /**
     * A found binary.
     *
     * @param path   the file, absolute
     * @param origin where it was found
     * @param known  the buildable scheduler of that file name, when it is one (its ops name, options)
     */
    public record Found(Path path, Origin origin, Optional<BuildableScheduler> known) {}

    /**
     * Finds {@code binary} (see the class comment). {@code kernel} selects the cache entry; it is only
     * read when the name is bare and not in {@code $KTSTR_SCHEDULER_DIR}.
     *
     * @throws SchedulerException {@link Kind#NOT_FOUND} naming every place searched, or the build's
     *     failure when building it on demand failed
     */
    public Found find(String binary, ResolvedKernel kernel, ProgressSink progress) throws SchedulerException {
        return lookup(binary, kernel, progress, false);
    }

    /**
     * Finds one of ktstr's guest tools (e.g. {@code ktstr_progs}): {@code $KTSTR_SCHEDULER_DIR}, then
     * {@code tools/} of the cache entry for {@code kernel}, built on demand.
     */
    public Path tool(String name, ResolvedKernel kernel, ProgressSink progress) throws SchedulerException {
        return lookup(name, kernel, progress, true).path();
    }

    private Found lookup(String binary, ResolvedKernel kernel, ProgressSink progress, boolean tool)
            throws SchedulerException {
        if (binary == null || binary.isBlank()) {
            throw new SchedulerException(Kind.BAD_DEFINITION, "no scheduler binary named (an empty binary means "
                    + "the kernel's default scheduler, which needs no discovery)");
        }
        Optional<BuildableScheduler> known = BuildableScheduler.byBinary(baseName(binary));
        if (binary.contains("/")) {
            Path p = cwd.resolve(binary).normalize();
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return new Found(p, Origin.PATH, known);
            }
            throw new SchedulerException(Kind.NOT_FOUND, "scheduler binary '" + binary + "' not found: searched the path "
                    + p + " (" + (Files.exists(p) ? "not an executable file" : "no such file") + ")");
        }
        List<String> searched = new ArrayList<>();
        Optional<String> dir = Optional.ofNullable(env.get(KTSTR_SCHEDULER_DIR)).filter(s -> !s.isBlank());
        if (dir.isPresent()) {
            Path p = cwd.resolve(dir.get()).resolve(binary).normalize();
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return new Found(p, Origin.SCHEDULER_DIR, known);
            }
            searched.add(KTSTR_SCHEDULER_DIR + "=" + dir.get() + " (" + p + ": "
                    + (Files.exists(p) ? "not an executable file" : "no such file") + ")");
        } else {
            searched.add(KTSTR_SCHEDULER_DIR + " (not set)");
        }
        boolean buildable = tool || known.isPresent();
        Optional<SchedulerCache.Entry> entry = Optional.empty();
        Optional<Path> vmlinux = kernel == null ? Optional.empty() : kernel.vmlinux();
        if (vmlinux.isPresent()) {
            entry = cache.find(BtfKey.of(vmlinux.get()));
            if (entry.isEmpty() && buildable) {
                progress.stage(binary + " is not built for kernel " + kernel.release() + " yet: building the "
                        + "schedulers (once per kernel; later runs find them in " + cache.root() + ")");
                entry = Optional.of(cache.ensureBuilt(kernel, progress));
            }
        }
        if (entry.isPresent()) {
            Path p = tool ? entry.get().tool(binary) : entry.get().binary(binary);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return new Found(p, Origin.CACHE, known);
            }
            String why = entry.get().metadata().notBuilt().get(binary);
            searched.add("the scheduler cache " + p.getParent() + " (" + (why != null ? binary + " " + why
                    : "no " + binary) + ")");
        } else if (kernel == null || vmlinux.isEmpty()) {
            searched.add("the scheduler cache " + cache.root() + " (not consulted: no kernel with a vmlinux to "
                    + "match a build to)");
        } else {
            searched.add("the scheduler cache " + cache.root() + " (no build for kernel " + kernel.release() + ")");
        }
        throw new SchedulerException(Kind.NOT_FOUND, "scheduler binary '" + binary + "' not found: searched "
                + String.join(", ", searched) + (buildable ? "" : "; ktstr builds only "
                        + String.join(", ", BuildableScheduler.binaries()) + ": give a path or put the binary in "
                        + KTSTR_SCHEDULER_DIR));
    }

    private static String baseName(String binary) {
        return binary.substring(binary.lastIndexOf('/') + 1);
    }
}

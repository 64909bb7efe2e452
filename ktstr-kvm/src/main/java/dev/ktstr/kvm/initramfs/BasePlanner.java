package dev.ktstr.kvm.initramfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Turns a {@link BaseSpec} into a {@link BasePlan}: looks bare include names up in {@code PATH},
 * walks included directories, resolves every ELF file's interpreter and DT_NEEDED closure with a
 * {@link SharedLibraryResolver}, lists busybox's applets, digests every host file, and lays it all
 * out in one sorted tree with the marker last.
 *
 * <p>Placement rules: the agent at {@code /init} and the scheduler at {@code /scheduler} (mode
 * 0755); an include at its destination with its host permissions; each library and the interpreter
 * with its bytes at its host real path and, where the linker finds it under another path (the
 * soname link, {@code /lib64/ld-linux-x86-64.so.2}, a path through {@code /lib}), a symlink there to
 * the real path. An ELF include whose DT_RPATH/DT_RUNPATH uses {@code $ORIGIN} is stored at its real
 * path with a symlink at its destination, so the guest's linker computes the same {@code $ORIGIN}
 * (the kernel's {@code /proc/self/exe} resolves the symlink). Directories in the archive are always
 * real directories, never symlinks.
 *
 * <p>Planning reads a file only when its {@link FileIdentity} changed since this planner last
 * hashed it; re-planning an unchanged spec costs a few {@code stat} calls per input. Thread-safe.
 */
public final class BasePlanner {

    private final SharedLibraryResolver resolver;
    private final List<String> path;
    private final ContentHasher hasher = new ContentHasher();
    private final BusyboxApplets applets = new BusyboxApplets();

    /**
     * @param resolver finds shared libraries
     * @param path     directories searched for bare include names, in order ({@code PATH})
     */
    public BasePlanner(SharedLibraryResolver resolver, List<String> path) {
        this.resolver = resolver;
        this.path = List.copyOf(path);
    }

    /** A planner with this process's {@code PATH}, {@code LD_LIBRARY_PATH} and {@code /etc/ld.so.cache}. */
    public static BasePlanner system() {
        String env = System.getenv("PATH");
        return new BasePlanner(new SharedLibraryResolver(SharedLibraryResolver.Config.system()),
                SharedLibraryResolver.splitPath(env == null ? "/usr/local/bin:/usr/bin:/bin" : env));
    }

    public SharedLibraryResolver resolver() {
        return resolver;
    }

    /** Resolves and lays out {@code spec}. */
    public BasePlan plan(BaseSpec spec) throws IOException, InitramfsException {
        ArchiveTree tree = new ArchiveTree();
        for (CpioEntry.Directory d : InitramfsLayout.DIRECTORIES) {
            tree.add(d, "the standard layout");
        }
        tree.add(InitramfsLayout.CONSOLE, "the standard layout");
        for (String d : spec.directories()) {
            tree.add(new CpioEntry.Directory(d, 0755), "an extra directory");
        }
        addExecutable(tree, existing(spec.init(), "init binary"), InitramfsLayout.INIT, 0755, "the init binary");
        if (spec.scheduler().isPresent()) {
            addExecutable(tree, existing(spec.scheduler().get(), "scheduler binary"), InitramfsLayout.SCHEDULER, 0755,
                    "the scheduler binary");
        }
        for (Include inc : spec.includes()) {
            addInclude(tree, inc);
        }
        if (spec.busybox().isPresent()) {
            Path bb = existing(spec.busybox().get(), "busybox");
            FileContent.HostFile content = addExecutable(tree, bb, InitramfsLayout.BUSYBOX, 0755, "busybox");
            String dir = ArchivePaths.parent(InitramfsLayout.BUSYBOX);
            for (String applet : applets.applets(bb, content.sha256())) {
                String at = dir + "/" + applet;
                if (!tree.contains(at)) {
                    tree.add(new CpioEntry.Symlink(at, "busybox"), "busybox applet " + applet);
                }
            }
        }
        return BasePlan.of(tree.sorted(), spec.level());
    }

    private void addInclude(ArchiveTree tree, Include inc) throws IOException, InitramfsException {
        Path source = locate(inc);
        String origin = "include " + inc.source();
        if (Files.isDirectory(source)) {
            addDirectory(tree, source.toRealPath(), inc.destination(), origin);
        } else if (Files.isRegularFile(source)) {
            addExecutable(tree, source, inc.destination(), -1, origin);
        } else {
            throw new InitramfsException(origin + ": " + source + " is neither a regular file nor a directory");
        }
    }

    private void addDirectory(ArchiveTree tree, Path root, String destination, String origin)
            throws IOException, InitramfsException {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = walk.sorted().toList();
        }
        for (Path p : all) {
            String rel = root.relativize(p).toString();
            String at = rel.isEmpty() ? destination : destination + "/" + rel;
            if (Files.isSymbolicLink(p)) {
                tree.add(new CpioEntry.Symlink(at, Files.readSymbolicLink(p).toString()), origin);
            } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                tree.add(new CpioEntry.Directory(at, FileIdentity.ofLink(p).permissions()), origin);
            } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                addExecutable(tree, p, at, -1, origin);
            } else {
                throw new InitramfsException(origin + ": " + p + " is a special file; only files, directories and"
                        + " symlinks can be included");
            }
        }
    }

    /**
     * Adds the host file {@code file} at {@code at} (with {@code perm}, or its host permissions when
     * negative) and, if it is an ELF file, its closure. Returns its content.
     */
    private FileContent.HostFile addExecutable(ArchiveTree tree, Path file, String at, int perm, String origin)
            throws IOException, InitramfsException {
        Path real = file.toRealPath();
        FileContent.HostFile content = hasher.hash(real);
        int mode = perm >= 0 ? perm : content.identity().permissions();
        LibraryClosure closure = SharedLibraryResolver.isElf(real) ? resolver.closure(real) : null;
        String realAt = real.toString();
        if (closure != null && closure.usesOrigin() && !realAt.equals(at)) {
            tree.add(new CpioEntry.RegularFile(realAt, mode, content), origin + " (at its real path for $ORIGIN)");
            tree.add(new CpioEntry.Symlink(at, realAt), origin);
        } else {
            tree.add(new CpioEntry.RegularFile(at, mode, content), origin);
        }
        if (closure != null) {
            String libOrigin = "the libraries of " + origin;
            List<ResolvedLibrary> objects = new ArrayList<>(closure.libraries());
            closure.interpreter().ifPresent(i -> objects.add(0, i));
            for (ResolvedLibrary lib : objects) {
                FileContent.HostFile libContent = hasher.hash(lib.realPath());
                String libReal = lib.realPath().toString();
                tree.add(new CpioEntry.RegularFile(libReal, libContent.identity().permissions(), libContent), libOrigin);
                if (!lib.foundPath().equals(libReal)) {
                    tree.add(new CpioEntry.Symlink(lib.foundPath(), libReal), libOrigin);
                }
            }
        }
        return content;
    }

    private Path locate(Include inc) throws InitramfsException {
        if (!inc.isBareName()) {
            Path p = Path.of(inc.source());
            if (!Files.exists(p)) {
                throw new InitramfsException("include " + inc.source() + ": no such file or directory");
            }
            return p;
        }
        for (String dir : path) {
            Path p = Path.of(dir, inc.source());
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        throw new InitramfsException("include " + inc.source() + ": no executable of that name on PATH "
                + String.join(":", path));
    }

    private static Path existing(Path p, String what) throws InitramfsException {
        if (!Files.isRegularFile(p)) {
            throw new InitramfsException(what + " " + p + " is not a regular file"
                    + (Files.exists(p) ? "" : " (it does not exist)"));
        }
        return p;
    }
}

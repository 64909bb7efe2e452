package dev.ktstr.kvm.initramfs;

import dev.ktstr.kvm.elf.ElfException;
import dev.ktstr.kvm.elf.ElfFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the shared libraries an ELF file needs, the way glibc's dynamic linker ({@code ld.so(8)},
 * {@code elf/dl-load.c: _dl_map_object}) would on this host, so the initramfs carries exactly them.
 *
 * <p>For each DT_NEEDED name of an object, in load (breadth-first) order, skipping names already
 * loaded:
 * <ol>
 *   <li>a name containing a slash is a path and is used as is;</li>
 *   <li>if the object has no DT_RUNPATH: the DT_RPATH of the object, then of the object that loaded
 *       it, and so on up to the executable;</li>
 *   <li>{@code LD_LIBRARY_PATH};</li>
 *   <li>the object's DT_RUNPATH;</li>
 *   <li>the directory of a non-standard program interpreter;</li>
 *   <li>{@code /etc/ld.so.cache} (parsed by {@link LdSoCache});</li>
 *   <li>the default directories ({@code /lib64 /usr/lib64 /lib/<triple> /usr/lib/<triple> /lib
 *       /usr/lib}).</li>
 * </ol>
 * {@code $ORIGIN} expands to the directory of the executable's real path (as the kernel's
 * {@code /proc/self/exe} gives it) or of a library's found path; {@code $LIB} and {@code $PLATFORM}
 * expand as Debian's glibc does. Candidates that are not ELF files of the root's machine are
 * skipped, as the linker skips them. Not modelled: {@code glibc-hwcaps}/{@code tls} subdirectories,
 * {@code LD_PRELOAD}, {@code dlopen()}ed libraries.
 *
 * <p>Results are memoised per real path (parsed dynamic sections, and whole closures validated by
 * the {@link FileIdentity} of every file in them): within one process a library installed later
 * earlier in the search order is not noticed. Thread-safe.
 */
public final class SharedLibraryResolver {

    /**
     * Where the search looks.
     *
     * @param ldLibraryPath entries of {@code LD_LIBRARY_PATH} (empty for none)
     * @param ldSoCache     the cache file, or {@code null} for none
     * @param defaultDirs   the linker's trusted default directories
     */
    public record Config(List<String> ldLibraryPath, Path ldSoCache, List<String> defaultDirs) {

        public Config {
            ldLibraryPath = List.copyOf(ldLibraryPath);
            defaultDirs = List.copyOf(defaultDirs);
        }

        /** This process's {@code LD_LIBRARY_PATH}, {@code /etc/ld.so.cache}, the host's default directories. */
        public static Config system() {
            String env = System.getenv("LD_LIBRARY_PATH");
            return new Config(splitPath(env == null ? "" : env), Path.of("/etc/ld.so.cache"),
                    SharedLibraryResolver.defaultDirs(hostMachine()));
        }

        /** The same, but with an explicit {@code LD_LIBRARY_PATH} value. */
        public Config withLdLibraryPath(String value) {
            return new Config(splitPath(value), ldSoCache, defaultDirs);
        }
    }

    /** Default directories for ELF machine 62 (x86-64) or 183 (AArch64), Debian multiarch layout. */
    public static List<String> defaultDirs(int machine) {
        String triple = multiarchTriple(machine);
        return List.of("/lib64", "/usr/lib64", "/lib/" + triple, "/usr/lib/" + triple, "/lib", "/usr/lib");
    }

    private record ElfInfo(FileIdentity identity, int machine, Optional<String> interpreter, List<String> needed,
            List<String> rpath, List<String> runpath) {}

    private record MemoClosure(Map<Path, FileIdentity> files, LibraryClosure closure) {}

    /** An object being expanded: where it was found, what it is, and the RPATH lists of its loaders. */
    private record Node(String found, Path real, ElfInfo info, List<List<String>> rpathChain) {}

    private final Config config;
    private final ConcurrentHashMap<Path, ElfInfo> infos = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Path, MemoClosure> closures = new ConcurrentHashMap<>();
    private volatile CacheMemo cache;

    private record CacheMemo(FileIdentity identity, LdSoCache cache) {}

    public SharedLibraryResolver(Config config) {
        this.config = config;
    }

    public Config config() {
        return config;
    }

    /** Whether {@code file} is a dynamically linked or static ELF file (starts with the ELF magic). */
    public static boolean isElf(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F';
        }
    }

    private static boolean isElf64Le(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            byte[] ident = in.readNBytes(6);
            return ident.length == 6 && ident[0] == 0x7f && ident[1] == 'E' && ident[2] == 'L' && ident[3] == 'F'
                    && ident[4] == 2 && ident[5] == 1;
        }
    }

    /**
     * The interpreter and transitive DT_NEEDED closure of the ELF file {@code elf}.
     *
     * @throws MissingLibraryException naming the library and the object that needs it
     * @throws InitramfsException      if {@code elf} or a needed file is not a usable ELF file
     */
    public LibraryClosure closure(Path elf) throws IOException, InitramfsException {
        Path real = elf.toRealPath();
        MemoClosure memo = closures.get(real);
        if (memo != null && stillSame(memo.files())) {
            return memo.closure();
        }
        Map<Path, FileIdentity> files = new HashMap<>();
        LibraryClosure result = compute(real, files);
        closures.put(real, new MemoClosure(Map.copyOf(files), result));
        return result;
    }

    private LibraryClosure compute(Path root, Map<Path, FileIdentity> files) throws IOException, InitramfsException {
        ElfInfo rootInfo = info(root);
        if (rootInfo == null) {
            throw new InitramfsException(root + ": not a 64-bit little-endian ELF file");
        }
        files.put(root, rootInfo.identity());
        int machine = rootInfo.machine();
        Map<String, ResolvedLibrary> loadedByName = new HashMap<>();
        Set<Path> expanded = new HashSet<>();
        expanded.add(root);
        ResolvedLibrary interpreter = null;
        List<String> interpDirs = List.of();
        if (rootInfo.interpreter().isPresent()) {
            String interp = rootInfo.interpreter().get();
            Path interpReal;
            try {
                interpReal = Path.of(interp).toRealPath();
            } catch (NoSuchFileException e) {
                throw new InitramfsException(root + ": program interpreter " + interp + " does not exist on this host");
            }
            ElfInfo ii = info(interpReal);
            if (ii == null || ii.machine() != machine) {
                throw new InitramfsException(root + ": program interpreter " + interp + " is not an ELF file for machine "
                        + machine);
            }
            files.put(interpReal, ii.identity());
            interpreter = new ResolvedLibrary(ArchivePaths.normalize(absolute(interp)), interpReal);
            // The linker itself is loaded: DT_NEEDED entries naming it (libc needs ld-linux) match it.
            loadedByName.put(interp, interpreter);
            loadedByName.put(Path.of(interp).getFileName().toString(), interpreter);
            expanded.add(interpReal);
            String dir = ArchivePaths.parent(interpreter.foundPath());
            if (dir != null && !config.defaultDirs().contains(dir)) {
                interpDirs = List.of(dir);
            }
        }
        LinkedHashMap<String, ResolvedLibrary> libraries = new LinkedHashMap<>();
        ArrayDeque<Node> queue = new ArrayDeque<>();
        String rootOrigin = root.getParent().toString();
        queue.add(new Node(root.toString(), root, rootInfo, List.of(expand(rootInfo.rpath(), rootOrigin, machine))));
        while (!queue.isEmpty()) {
            Node node = queue.removeFirst();
            String origin = originOf(node, root, rootOrigin);
            for (String name : node.info().needed()) {
                if (loadedByName.containsKey(name)) {
                    continue;
                }
                ResolvedLibrary lib = find(name, node, origin, machine, interpDirs, root);
                loadedByName.put(name, lib);
                libraries.putIfAbsent(lib.foundPath(), lib);
                if (!expanded.add(lib.realPath())) {
                    continue;
                }
                ElfInfo li = info(lib.realPath());
                files.put(lib.realPath(), li.identity());
                String libOrigin = ArchivePaths.parent(lib.foundPath());
                List<List<String>> chain = new ArrayList<>();
                chain.add(expand(li.rpath(), libOrigin == null ? "/" : libOrigin, machine));
                chain.addAll(node.rpathChain());
                queue.add(new Node(lib.foundPath(), lib.realPath(), li, List.copyOf(chain)));
            }
        }
        boolean usesOrigin = java.util.stream.Stream.concat(rootInfo.rpath().stream(), rootInfo.runpath().stream())
                .anyMatch(d -> d.contains("$ORIGIN") || d.contains("${ORIGIN}"));
        return new LibraryClosure(root, Optional.ofNullable(interpreter), List.copyOf(libraries.values()),
                usesOrigin);
    }

    private static String originOf(Node node, Path root, String rootOrigin) {
        if (node.real().equals(root) && node.found().equals(root.toString())) {
            return rootOrigin;
        }
        String p = ArchivePaths.parent(node.found());
        return p == null ? "/" : p;
    }

    private ResolvedLibrary find(String name, Node node, String origin, int machine, List<String> interpDirs,
            Path root) throws IOException, InitramfsException {
        List<String> searched = new ArrayList<>();
        if (name.contains("/")) {
            String candidate = ArchivePaths.normalize(absolute(name));
            searched.add(candidate);
            ResolvedLibrary r = candidate(candidate, machine);
            if (r != null) {
                return r;
            }
            throw new MissingLibraryException(name, node.found(), root.toString(), searched);
        }
        List<List<String>> groups = new ArrayList<>();
        if (node.info().runpath().isEmpty()) {
            groups.addAll(node.rpathChain());
        }
        groups.add(config.ldLibraryPath().stream().map(SharedLibraryResolver::absolute).toList());
        groups.add(expand(node.info().runpath(), origin, machine));
        groups.add(interpDirs);
        for (List<String> dirs : groups) {
            for (String dir : dirs) {
                searched.add(dir);
                ResolvedLibrary r = candidate(ArchivePaths.normalize(dir + "/" + name), machine);
                if (r != null) {
                    return r;
                }
            }
        }
        LdSoCache ldCache = ldSoCache();
        if (config.ldSoCache() != null) {
            searched.add("ld.so.cache:" + config.ldSoCache());
            Optional<String> cached = ldCache.lookup(name, machine);
            if (cached.isPresent()) {
                ResolvedLibrary r = candidate(ArchivePaths.normalize(absolute(cached.get())), machine);
                if (r != null) {
                    return r;
                }
            }
        }
        for (String dir : config.defaultDirs()) {
            searched.add(dir);
            ResolvedLibrary r = candidate(ArchivePaths.normalize(dir + "/" + name), machine);
            if (r != null) {
                return r;
            }
        }
        throw new MissingLibraryException(name, node.found(), root.toString(), searched);
    }

    /** The library at {@code path} if it exists and is an ELF object for {@code machine}, else null. */
    private ResolvedLibrary candidate(String path, int machine) throws IOException, InitramfsException {
        Path p = Path.of(path);
        if (!Files.isRegularFile(p)) {
            return null;
        }
        Path real = p.toRealPath();
        ElfInfo info = info(real);
        if (info == null || info.machine() != machine) {
            return null;
        }
        return new ResolvedLibrary(path, real);
    }

    /** Parsed dynamic facts of a real path, or null when it is not an ELF64 little-endian file. */
    private ElfInfo info(Path real) throws IOException, InitramfsException {
        FileIdentity id = FileIdentity.of(real);
        ElfInfo memo = infos.get(real);
        if (memo != null && memo.identity().equals(id)) {
            return memo;
        }
        if (!isElf64Le(real)) {
            return null;
        }
        try {
            ElfFile elf = ElfFile.open(real);
            ElfFile.DynamicInfo dyn = elf.dynamicInfo();
            ElfInfo info = new ElfInfo(id, elf.machine(), elf.interpreter(), dyn.needed(), dyn.rpath(),
                    dyn.runpath());
            infos.put(real, info);
            return info;
        } catch (ElfException e) {
            throw new InitramfsException("cannot read the dynamic section: " + e.getMessage(), e);
        }
    }

    private LdSoCache ldSoCache() throws IOException, InitramfsException {
        Path file = config.ldSoCache();
        if (file == null || !Files.isRegularFile(file)) {
            return LdSoCache.empty();
        }
        FileIdentity id = FileIdentity.of(file);
        CacheMemo m = cache;
        if (m != null && m.identity().equals(id)) {
            return m.cache();
        }
        LdSoCache parsed = LdSoCache.load(file);
        cache = new CacheMemo(id, parsed);
        return parsed;
    }

    private static boolean stillSame(Map<Path, FileIdentity> files) {
        for (Map.Entry<Path, FileIdentity> e : files.entrySet()) {
            try {
                if (!FileIdentity.of(e.getKey()).equals(e.getValue())) {
                    return false;
                }
            } catch (IOException gone) {
                return false;
            }
        }
        return true;
    }

    /** Expands {@code $ORIGIN}, {@code $LIB}, {@code $PLATFORM} (and their braced forms). */
    static List<String> expand(List<String> dirs, String origin, int machine) {
        List<String> out = new ArrayList<>(dirs.size());
        for (String d : dirs) {
            String e = d.replace("${ORIGIN}", origin).replace("$ORIGIN", origin)
                    .replace("${LIB}", "lib/" + multiarchTriple(machine)).replace("$LIB", "lib/" + multiarchTriple(machine))
                    .replace("${PLATFORM}", platform(machine)).replace("$PLATFORM", platform(machine));
            out.add(ArchivePaths.normalize(absolute(e)));
        }
        return out;
    }

    static List<String> splitPath(String value) {
        List<String> out = new ArrayList<>();
        for (String part : value.split("[:;]")) {
            if (!part.isEmpty()) {
                out.add(part);
            }
        }
        return out;
    }

    private static String absolute(String path) {
        return path.startsWith("/") ? path : Path.of(path).toAbsolutePath().toString();
    }

    private static String multiarchTriple(int machine) {
        return switch (machine) {
            case 62 -> "x86_64-linux-gnu";
            case 183 -> "aarch64-linux-gnu";
            default -> throw new IllegalArgumentException("no Debian multiarch directory known for ELF machine "
                    + machine);
        };
    }

    private static String platform(int machine) {
        return machine == 183 ? "aarch64" : "x86_64";
    }

    private static int hostMachine() {
        String arch = System.getProperty("os.arch");
        return arch.equals("aarch64") ? 183 : 62;
    }
}

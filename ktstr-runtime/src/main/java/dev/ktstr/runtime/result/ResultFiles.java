package dev.ktstr.runtime.result;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes {@link RunResult}s as JSON files and reads them back (ktstr facts §9 "Storage", adapted).
 *
 * <p>Layout: one file per run of a variant and repetition, named
 * {@code <sanitized variant id>-<16 hex identity hash>-r<repetition>.ktstr.json}, in
 * {@code target/ktstr/<kernel>-<commit>/} unless {@code KTSTR_RESULTS_DIR} names the directory. Files
 * are written atomically (temporary file in the same directory, forced to disk, then renamed), so a
 * reader never sees half a file from a writer that finished; a crash mid-write leaves only a hidden
 * temporary file that readers ignore.
 *
 * <p>Reading never throws for a bad file: corrupt, truncated and schema-mismatched files become
 * {@link BadResultFile}s with the file named, and the rest are read. Unknown fields are ignored (a
 * newer writer of the same schema version may add some); another {@link RunResult#SCHEMA_VERSION} is
 * refused with {@code [KtstrResultSchema]}.
 */
public final class ResultFiles {

    /** Suffix of every result file. */
    public static final String SUFFIX = ".ktstr.json";

    /** Environment variable naming the result directory, overriding the default layout. */
    public static final String RESULTS_DIR_ENV = "KTSTR_RESULTS_DIR";

    /** The default root under which each run gets a {@code <kernel>-<commit>} directory. */
    public static final Path DEFAULT_ROOT = Path.of("target", "ktstr");

    private static final int MAX_NAME_STEM = 96;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ResultFiles() {}

    /** The mapper used for result files (snake_case keys, ISO-8601 instants). Shared, thread-safe. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    // ---------------------------------------------------------------- writing

    /**
     * The directory results of a run go to: {@code -Dktstr.results.dir} or {@code $KTSTR_RESULTS_DIR}
     * when set and not blank, else {@code target/ktstr/<kernel>-<commit>} relative to the working
     * directory.
     */
    public static Path defaultDirectory(String kernel, String projectCommit) {
        String property = System.getProperty("ktstr.results.dir", "");
        if (!property.isBlank()) {
            return Path.of(property);
        }
        return directory(System.getenv(), DEFAULT_ROOT, kernel, projectCommit);
    }

    /** {@link #defaultDirectory} with the environment and root given (for tests and tools). */
    public static Path directory(Map<String, String> env, Path root, String kernel, String projectCommit) {
        String override = env.get(RESULTS_DIR_ENV);
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        return root.resolve(sanitize(orUnknown(kernel)) + "-" + sanitize(orUnknown(projectCommit)));
    }

    /** The file name {@code result} is stored under (see the class comment). */
    public static String fileName(RunResult result) {
        String stem = sanitize(result.variant() == null ? result.testName() : result.variant());
        if (stem.length() > MAX_NAME_STEM) {
            stem = stem.substring(0, MAX_NAME_STEM);
        }
        return stem + "-" + identityHash(result) + "-r" + result.repetition() + SUFFIX;
    }

    /**
     * 16 hex digits of SHA-256 over what makes a variant distinct: class, variant id, topology,
     * scheduler, flags, scheduler arguments, work type, kernel and engine. Two variants whose ids
     * sanitize to the same stem still get distinct files.
     */
    public static String identityHash(RunResult r) {
        StringBuilder key = new StringBuilder();
        for (Object part : new Object[] {r.className(), r.testName(), r.variant(), r.topology(), r.scheduler(),
                r.flags(), r.schedulerArgs(), r.workType(), r.kernel(), r.engine()}) {
            key.append(part).append('\u0000');
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JRE", e);
        }
    }

    /**
     * Writes {@code result} into {@code dir} (created if missing) atomically and returns the file.
     * An existing file of the same variant and repetition is replaced (last writer wins).
     */
    public static Path write(Path dir, RunResult result) throws IOException {
        if (result.schemaVersion() != RunResult.SCHEMA_VERSION) {
            throw new IllegalArgumentException("[KtstrResultSchema] refusing to write schema version "
                    + result.schemaVersion() + " (this writer writes " + RunResult.SCHEMA_VERSION + ")");
        }
        Files.createDirectories(dir);
        Path target = dir.resolve(fileName(result));
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = Channels.newOutputStream(ch);
                MAPPER.writeValue(new NonClosingOutputStream(out), result);
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads every {@code *.ktstr.json} file directly in {@code dir} (not recursing), in file-name
     * order. A missing directory is an {@link IOException}; bad files are collected, not thrown.
     */
    public static ResultSet readDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("[KtstrNoResults] not a directory: " + dir);
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> isResultFile(p))) {
            ds.forEach(files::add);
        }
        files.sort(Comparator.comparing(p -> p.getFileName().toString()));
        List<LoadedResult> ok = new ArrayList<>();
        List<BadResultFile> bad = new ArrayList<>();
        for (Path f : files) {
            Read r = read(f);
            if (r.result != null) {
                ok.add(new LoadedResult(f, r.result));
            } else {
                bad.add(r.bad);
            }
        }
        return new ResultSet(List.of(dir), ok, bad);
    }

    /** Reads each directory and concatenates the sets. */
    public static ResultSet readDirectories(List<Path> dirs) throws IOException {
        ResultSet all = ResultSet.empty();
        for (Path d : dirs) {
            all = all.plus(readDirectory(d));
        }
        return all;
    }

    /** The outcome of reading one file: exactly one of the two is non-null. */
    public record Read(RunResult result, BadResultFile bad) {}

    /** Reads one file; any problem becomes a {@link BadResultFile} naming it. */
    public static Read read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return bad(file, BadResultFile.Problem.UNREADABLE, e.toString());
        }
        return parse(file, bytes);
    }

    /** Parses {@code bytes} as the content of {@code file} (which is only used for naming). */
    public static Read parse(Path file, byte[] bytes) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(bytes);
        } catch (JsonEOFException e) {
            return bad(file, BadResultFile.Problem.TRUNCATED, "JSON ends early after " + bytes.length + " bytes ("
                    + e.getOriginalMessage() + ")");
        } catch (JsonProcessingException e) {
            if (atEnd(e, bytes.length)) {
                // Cut inside a token (e.g. "12." at the end): the parser names the token, but the cause is the end.
                return bad(file, BadResultFile.Problem.TRUNCATED, "JSON ends early after " + bytes.length
                        + " bytes (" + oneLine(e.getOriginalMessage()) + ")");
            }
            return bad(file, BadResultFile.Problem.CORRUPT, "not JSON: " + oneLine(e.getOriginalMessage())
                    + " at line " + e.getLocation().getLineNr() + " column " + e.getLocation().getColumnNr());
        } catch (IOException e) {
            return bad(file, BadResultFile.Problem.UNREADABLE, e.toString());
        }
        if (tree == null || tree.isMissingNode()) {
            return bad(file, BadResultFile.Problem.TRUNCATED, "empty file");
        }
        if (!tree.isObject()) {
            return bad(file, BadResultFile.Problem.SCHEMA_MISMATCH, "top level is " + tree.getNodeType()
                    + ", expected a result object");
        }
        JsonNode version = tree.get("schema_version");
        if (version == null || !version.canConvertToExactIntegral()) {
            return bad(file, BadResultFile.Problem.SCHEMA_MISMATCH, "no integer schema_version field"
                    + " (not a ktstr result file?)");
        }
        if (version.asInt() != RunResult.SCHEMA_VERSION) {
            return bad(file, BadResultFile.Problem.SCHEMA_MISMATCH, "schema version " + version.asText()
                    + ", this reader understands " + RunResult.SCHEMA_VERSION);
        }
        RunResult result;
        try {
            result = MAPPER.treeToValue(tree, RunResult.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return bad(file, BadResultFile.Problem.SCHEMA_MISMATCH, "does not match schema version "
                    + RunResult.SCHEMA_VERSION + ": " + oneLine(e.getMessage()));
        }
        String missing = result.testName() == null ? "test_name"
                : result.variant() == null ? "variant"
                : result.outcome() == null || result.outcome().status() == null ? "outcome.status"
                : null;
        if (missing != null) {
            return bad(file, BadResultFile.Problem.SCHEMA_MISMATCH, "required field " + missing + " is missing");
        }
        return new Read(result, null);
    }

    // ---------------------------------------------------------------- discovery

    /**
     * The run directories under {@code root}: {@code root} itself if it holds result files, and every
     * directory up to two levels below it that does, newest first (by the newest result file's
     * modification time). A missing root has no runs.
     */
    public static List<Path> runDirectories(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> candidates;
        try (Stream<Path> s = Files.walk(root, 2)) {
            candidates = s.filter(Files::isDirectory).toList();
        }
        List<Path> sorted = new ArrayList<>();
        Map<Path, FileTime> newest = new java.util.HashMap<>();
        for (Path d : candidates) {
            FileTime t = newestResultTime(d);
            if (t != null) {
                sorted.add(d);
                newest.put(d, t);
            }
        }
        sorted.sort(Comparator.comparing((Path d) -> newest.get(d)).reversed().thenComparing(Path::toString));
        return sorted;
    }

    /** Whether {@code p} is named like a result file (hidden temporary files are not). */
    public static boolean isResultFile(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(SUFFIX) && !n.startsWith(".") && Files.isRegularFile(p);
    }

    /** The newest modification time of a result file in {@code dir}, {@code null} when it holds none. */
    public static FileTime newestResultTime(Path dir) throws IOException {
        FileTime newest = null;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> isResultFile(p))) {
            for (Path p : ds) {
                FileTime t = Files.getLastModifiedTime(p);
                if (newest == null || t.compareTo(newest) > 0) {
                    newest = t;
                }
            }
        }
        return newest;
    }

    // ---------------------------------------------------------------- helpers

    /** {@code s} with every character outside {@code [A-Za-z0-9._-]} replaced by {@code _}, runs collapsed. */
    public static String sanitize(String s) {
        String r = s.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^[._]+", "");
        return r.isEmpty() ? "_" : r;
    }

    private static boolean atEnd(JsonProcessingException e, int length) {
        return e.getLocation() != null && e.getLocation().getByteOffset() >= length - 1 && length > 0;
    }

    private static String orUnknown(String s) {
        return s == null || s.isBlank() ? "unknown" : s;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    private static Read bad(Path file, BadResultFile.Problem problem, String detail) {
        return new Read(null, new BadResultFile(file, problem, detail));
    }

    /** Lets Jackson close its generator without closing the channel before {@code force}. */
    private static final class NonClosingOutputStream extends java.io.FilterOutputStream {
        NonClosingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}

package dev.ktstr.runtime.junit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ktstr.topology.Topology;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Every variant manifest visible to a class loader: the processor writes one JSON resource per test
 * class under {@value #DIRECTORY}, and this reads all of them, from directories and jars alike, into
 * one list sorted by key. Loaded once per class loader.
 */
public final class VariantManifests {

    /** Where the processor writes manifests (its {@code ManifestRenderer.DIRECTORY}). */
    public static final String DIRECTORY = "META-INF/ktstr/variants";
    /** The manifest schema this runtime reads. */
    public static final int SCHEMA = 1;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<ClassLoader, VariantManifests> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

    private final List<ManifestEntry> entries;
    private final Map<String, ManifestEntry> byKey = new LinkedHashMap<>();
    private final Set<String> vmClasses = new HashSet<>();

    private VariantManifests(List<ManifestEntry> entries) {
        for (ManifestEntry e : entries) {
            byKey.putIfAbsent(e.key(), e); // the same class twice on the classpath: first wins
        }
        List<ManifestEntry> sorted = new ArrayList<>(byKey.values());
        sorted.sort(Comparator.comparing(ManifestEntry::key));
        this.entries = List.copyOf(sorted);
        for (ManifestEntry e : this.entries) {
            if (!e.hostOnly()) {
                vmClasses.add(e.generatedClass());
            }
        }
    }

    /** The manifests {@code loader} sees, loaded on first use. */
    public static VariantManifests of(ClassLoader loader) {
        synchronized (CACHE) {
            VariantManifests m = CACHE.get(loader);
            if (m == null) {
                m = load(loader);
                CACHE.put(loader, m);
            }
            return m;
        }
    }

    /** Manifests from explicit entries (tests, benchmarks). */
    public static VariantManifests of(List<ManifestEntry> entries) {
        return new VariantManifests(entries);
    }

    /** All variants, sorted by key, each key once. */
    public List<ManifestEntry> entries() {
        return entries;
    }

    public Optional<ManifestEntry> find(String className, String methodName) {
        return Optional.ofNullable(byKey.get(ManifestEntry.key(className, methodName)));
    }

    /** Whether any variant of the generated class {@code className} needs a VM. */
    public boolean needsVm(String className) {
        return vmClasses.contains(className);
    }

    private static VariantManifests load(ClassLoader loader) {
        List<ManifestEntry> all = new ArrayList<>();
        try {
            Enumeration<URL> dirs = loader.getResources(DIRECTORY);
            while (dirs.hasMoreElements()) {
                URL dir = dirs.nextElement();
                switch (dir.getProtocol()) {
                    case "file" -> readDirectory(dir, all);
                    case "jar" -> readJar(dir, all);
                    default -> throw new ManifestFormatException(
                            "cannot list ktstr manifests at " + dir + ": only directories and jars are supported");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list ktstr manifests (" + DIRECTORY + "): " + e.getMessage(), e);
        }
        return new VariantManifests(all);
    }

    private static void readDirectory(URL dir, List<ManifestEntry> out) throws IOException {
        Path path;
        try {
            path = Path.of(dir.toURI());
        } catch (URISyntaxException e) {
            throw new ManifestFormatException("bad manifest directory URL " + dir, e);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(path)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        for (Path f : files) {
            try (InputStream in = Files.newInputStream(f)) {
                out.addAll(parse(in, f.toString()));
            }
        }
    }

    private static void readJar(URL dir, List<ManifestEntry> out) throws IOException {
        JarURLConnection conn = (JarURLConnection) dir.openConnection();
        conn.setUseCaches(false); // a private JarFile, closed here, rather than the JVM-wide cached one
        try (JarFile jar = conn.getJarFile()) {
            List<JarEntry> files = jar.stream()
                    .filter(e -> e.getName().startsWith(DIRECTORY + "/") && e.getName().endsWith(".json"))
                    .sorted(Comparator.comparing(JarEntry::getName))
                    .toList();
            for (JarEntry e : files) {
                try (InputStream in = jar.getInputStream(e)) {
                    out.addAll(parse(in, jar.getName() + "!/" + e.getName()));
                }
            }
        }
    }

    /** Parses one manifest; {@code where} names it in errors. */
    public static List<ManifestEntry> parse(InputStream in, String where) {
        JsonNode root;
        try {
            root = JSON.readTree(in);
        } catch (IOException e) {
            throw new ManifestFormatException("ktstr manifest " + where + " is not valid JSON: " + e.getMessage(), e);
        }
        int schema = required(root, "schema", where).asInt();
        if (schema != SCHEMA) {
            throw new ManifestFormatException("ktstr manifest " + where + " has schema " + schema + ", this runtime reads "
                    + SCHEMA + ": build the tests with the ktstr-processor of the same version as ktstr-runtime");
        }
        List<ManifestEntry> out = new ArrayList<>();
        for (JsonNode v : required(root, "variants", where)) {
            out.add(entry(v, where));
        }
        return out;
    }

    private static ManifestEntry entry(JsonNode v, String where) {
        JsonNode t = required(v, "topology", where);
        JsonNode preset = required(v, "preset", where);
        try {
            return new ManifestEntry(
                    text(v, "id", where), text(v, "testClass", where), text(v, "test", where),
                    text(v, "generatedClass", where), text(v, "generatedMethod", where),
                    required(v, "hostOnly", where).asBoolean(), preset.isNull() ? null : preset.asText(),
                    new Topology(required(t, "numaNodes", where).asInt(), required(t, "llcs", where).asInt(),
                            required(t, "coresPerLlc", where).asInt(), required(t, "threadsPerCore", where).asInt()),
                    required(v, "memoryMb", where).asLong(), text(v, "scheduler", where), strings(v, "flags", where),
                    required(v, "durationS", where).asInt(), required(v, "costSecs", where).asDouble(),
                    strings(v, "features", where));
        } catch (IllegalArgumentException e) {
            throw new ManifestFormatException("ktstr manifest " + where + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null) {
            throw new ManifestFormatException("ktstr manifest " + where + " lacks '" + field + "' in " + abbreviate(node));
        }
        return v;
    }

    private static String text(JsonNode node, String field, String where) {
        return required(node, field, where).asText();
    }

    private static List<String> strings(JsonNode node, String field, String where) {
        List<String> out = new ArrayList<>();
        required(node, field, where).forEach(x -> out.add(x.asText()));
        return out;
    }

    private static String abbreviate(JsonNode node) {
        String s = node.toString();
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }
}

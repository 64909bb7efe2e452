package dev.ktstr.runtime.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.topology.Topology;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VariantManifestsTest {

    static String manifest(String cls, String... methods) {
        StringBuilder sb = new StringBuilder("{\"schema\":1,\"testClass\":\"" + cls + "\",\"variants\":[\n");
        for (int i = 0; i < methods.length; i++) {
            sb.append(i > 0 ? "," : "").append("{\"id\":\"ktstr/").append(methods[i]).append("\",\"testClass\":\"")
                    .append(cls).append("\",\"test\":\"").append(methods[i]).append("\",\"generatedClass\":\"").append(cls)
                    .append("_KtstrIT\",\"generatedMethod\":\"").append(methods[i])
                    .append("\",\"hostOnly\":false,\"preset\":null,\"topology\":{\"numaNodes\":1,\"llcs\":2,"
                            + "\"coresPerLlc\":2,\"threadsPerCore\":1,\"cpus\":4},\"memoryMb\":2048,\"scheduler\":\"s\","
                            + "\"schedulerClass\":\"S\",\"flags\":[\"llc\"],\"durationS\":2,\"workersPerCgroup\":2,"
                            + "\"performanceMode\":false,\"expectErr\":\"NONE\",\"costSecs\":4.5,\"features\":[\"a\",\"b\"]}\n");
        }
        return sb.append("]}\n").toString();
    }

    @Test
    void parsesEveryField() {
        List<ManifestEntry> e = VariantManifests.parse(
                new ByteArrayInputStream(manifest("a.T", "m").getBytes(StandardCharsets.UTF_8)), "test");
        assertEquals(1, e.size());
        ManifestEntry m = e.get(0);
        assertEquals("ktstr/m", m.id());
        assertEquals("a.T_KtstrIT#m", m.key());
        assertNull(m.preset());
        assertEquals(new Topology(1, 2, 2, 1), m.topology());
        assertEquals(List.of("llc"), m.flags());
        assertEquals(4.5, m.costSecs());
        assertEquals(List.of("a", "b"), m.features());
    }

    @Test
    void readsManifestsFromDirectoriesAndJars(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("classes/META-INF/ktstr/variants");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("a.T.json"), manifest("a.T", "x", "y"));
        Path jar = tmp.resolve("lib.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String d : new String[] {"META-INF/", "META-INF/ktstr/", "META-INF/ktstr/variants/"}) {
                out.putNextEntry(new JarEntry(d));
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/ktstr/variants/b.U.json"));
            OutputStream o = out;
            o.write(manifest("b.U", "z").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        try (URLClassLoader loader = new URLClassLoader(
                new URL[] {tmp.resolve("classes").toUri().toURL(), jar.toUri().toURL()}, null)) {
            VariantManifests m = VariantManifests.of(loader);
            assertEquals(List.of("a.T_KtstrIT#x", "a.T_KtstrIT#y", "b.U_KtstrIT#z"),
                    m.entries().stream().map(ManifestEntry::key).toList());
            assertTrue(m.find("b.U_KtstrIT", "z").isPresent());
            assertTrue(m.needsVm("a.T_KtstrIT"));
        }
    }

    @Test
    void badManifestsAreNamedErrors() {
        ManifestFormatException schema = assertThrows(ManifestFormatException.class, () -> VariantManifests.parse(
                new ByteArrayInputStream("{\"schema\":2,\"variants\":[]}".getBytes(StandardCharsets.UTF_8)), "x.json"));
        assertTrue(schema.getMessage().contains("x.json has schema 2"), schema.getMessage());
        ManifestFormatException missing = assertThrows(ManifestFormatException.class, () -> VariantManifests.parse(
                new ByteArrayInputStream("{\"schema\":1,\"variants\":[{\"id\":\"a\"}]}".getBytes(StandardCharsets.UTF_8)),
                "y.json"));
        assertTrue(missing.getMessage().contains("lacks"), missing.getMessage());
        assertThrows(ManifestFormatException.class, () -> VariantManifests.parse(
                new ByteArrayInputStream("{".getBytes(StandardCharsets.UTF_8)), "z.json"));
    }
}

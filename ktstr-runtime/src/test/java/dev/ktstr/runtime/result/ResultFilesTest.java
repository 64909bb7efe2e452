package dev.ktstr.runtime.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ktstr.runtime.stats.Fixtures;
import dev.ktstr.runtime.stats.synth.NoiseModel;
import dev.ktstr.runtime.stats.synth.SyntheticSuite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultFilesTest {

    @TempDir
    Path dir;

    private static RunResult sample(int rep) {
        return new SyntheticSuite(NoiseModel.VM_TYPICAL, 1, 1).side(new Random(rep), "7.3.4", rep + 1, Map.of())
                .get(rep);
    }

    @Test
    void roundTripKeepsEveryField() throws IOException {
        RunResult r = sample(0);
        Path f = ResultFiles.write(dir, r);
        ResultFiles.Read back = ResultFiles.read(f);
        assertNull(back.bad());
        assertEquals(r, back.result());
    }

    @Test
    void roundTripKeepsNaNAndNullsAndFailures() throws IOException {
        RunResult base = sample(0);
        Map<String, Double> metrics = new HashMap<>(base.metrics());
        metrics.put("worst_p99_wake_latency_us", Double.NaN);
        RunResult r = Fixtures.with(base, "nan_test",
                new Outcome(Outcome.Status.FAILED, List.of(new Outcome.Failure("Stuck", "stuck 2100ms on cpu1 at +400ms"))),
                metrics);
        RunResult back = ResultFiles.read(ResultFiles.write(dir, r)).result();
        assertTrue(back.metrics().get("worst_p99_wake_latency_us").isNaN());
        assertEquals(r.outcome(), back.outcome());
        assertNull(back.workType());
        assertNull(back.preset());
    }

    @Test
    void jsonUsesSnakeCaseAndIsoInstants() throws IOException {
        String json = Files.readString(ResultFiles.write(dir, sample(0)));
        assertTrue(json.contains("\"schema_version\" : 1"), json.substring(0, 200));
        assertTrue(json.contains("\"test_name\""));
        assertTrue(json.contains("\"started_at\" : \"2026-01-01T"), "ISO-8601 instant");
    }

    @Test
    void fileNamesAreSanitizedDistinctPerRepetitionAndVariant() {
        RunResult r0 = sample(0);
        RunResult r1 = sample(1);
        String n0 = ResultFiles.fileName(r0);
        assertTrue(n0.matches("ktstr_t000-[0-9a-f]{16}-r0\\.ktstr\\.json"), n0);
        assertNotEquals(n0, ResultFiles.fileName(r1), "repetitions get distinct files");
        RunResult other = Fixtures.onScheduler(r0, "scx_other");
        assertNotEquals(n0, ResultFiles.fileName(other), "another scheduler is another variant");
        assertEquals("gauntlet_fair_tiny_a_b", ResultFiles.sanitize("gauntlet/fair/tiny/a+b"));
        assertEquals("_", ResultFiles.sanitize("../"));
    }

    @Test
    void repetitionsAreKeptAsDistinctFiles() throws IOException {
        for (int rep = 0; rep < 3; rep++) {
            ResultFiles.write(dir, sample(rep));
        }
        ResultSet set = ResultFiles.readDirectory(dir);
        assertEquals(3, set.results().size());
        assertEquals(List.of(0, 1, 2), set.runResults().stream().map(RunResult::repetition).sorted().toList());
    }

    @Test
    void writeIsAtomicAndLeavesNoTemporaryFiles() throws IOException {
        RunResult r = sample(0);
        Path f = ResultFiles.write(dir, r);
        ResultFiles.write(dir, r); // replace
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f.getFileName().toString()), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void writerRefusesAnotherSchemaVersion() {
        RunResult r = sample(0);
        RunResult v2 = new RunResult(2, r.runId(), r.testName(), r.variant(), r.className(), r.preset(), r.topology(),
                r.scheduler(), r.schedulerBinary(), r.flags(), r.schedulerArgs(), r.schedulerActive(), r.workType(),
                r.kernel(), r.engine(), r.projectCommit(), r.repetition(), r.outcome(), r.cgroups(), r.metrics(),
                r.timeline(), r.monitor(), r.host(), r.startedAt(), r.durationMs());
        assertThrows(IllegalArgumentException.class, () -> ResultFiles.write(dir, v2));
    }

    @Test
    void badFilesAreNamedSkippedAndCounted() throws IOException {
        RunResult good = sample(0);
        ResultFiles.write(dir, good);
        String json = ResultFiles.mapper().writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(good);
        Files.writeString(dir.resolve("truncated.ktstr.json"), json.substring(0, json.length() / 2));
        Files.writeString(dir.resolve("empty.ktstr.json"), "");
        Files.write(dir.resolve("corrupt.ktstr.json"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0});
        Files.writeString(dir.resolve("v2.ktstr.json"), json.replace("\"schema_version\":1", "\"schema_version\":2"));
        Files.writeString(dir.resolve("noversion.ktstr.json"), "{\"test_name\":\"x\"}");
        Files.writeString(dir.resolve("array.ktstr.json"), "[1,2]");
        Files.writeString(dir.resolve("wrongtype.ktstr.json"), json.replace("\"repetition\":0", "\"repetition\":\"zero\""));
        Files.writeString(dir.resolve("missing.ktstr.json"), "{\"schema_version\":1,\"variant\":\"ktstr/x\"}");
        Files.writeString(dir.resolve("unknown-field.ktstr.json"),
                json.replace("{\"schema_version\":1", "{\"schema_version\":1,\"added_later\":{\"x\":1}"));
        Files.writeString(dir.resolve("notes.txt"), "ignored: not a result file name");
        Files.writeString(dir.resolve(".tmp-half.ktstr.json"), "{");

        ResultSet set = ResultFiles.readDirectory(dir);
        assertEquals(2, set.results().size(), "the good file and the one with an unknown field");
        Map<String, BadResultFile.Problem> bad = new HashMap<>();
        set.badFiles().forEach(b -> bad.put(b.file().getFileName().toString(), b.problem()));
        assertEquals(Map.of(
                "truncated.ktstr.json", BadResultFile.Problem.TRUNCATED,
                "empty.ktstr.json", BadResultFile.Problem.TRUNCATED,
                "corrupt.ktstr.json", BadResultFile.Problem.CORRUPT,
                "v2.ktstr.json", BadResultFile.Problem.SCHEMA_MISMATCH,
                "noversion.ktstr.json", BadResultFile.Problem.SCHEMA_MISMATCH,
                "array.ktstr.json", BadResultFile.Problem.SCHEMA_MISMATCH,
                "wrongtype.ktstr.json", BadResultFile.Problem.SCHEMA_MISMATCH,
                "missing.ktstr.json", BadResultFile.Problem.SCHEMA_MISMATCH), bad);
        BadResultFile v2 = set.badFiles().stream().filter(b -> b.file().endsWith("v2.ktstr.json")).findFirst().orElseThrow();
        assertEquals("[KtstrResultSchema] " + dir.resolve("v2.ktstr.json")
                + ": schema version 2, this reader understands 1", v2.message());
        set.badFiles().forEach(b -> assertTrue(b.message().contains(b.file().toString()), b.message()));
        set.badFiles().forEach(b -> assertTrue(!b.message().contains("\n"), "one line: " + b.message()));
    }

    @Test
    void everyTruncationOfAGoodFileIsABadFileNeverAnException() throws IOException {
        byte[] full = ResultFiles.mapper().writeValueAsBytes(sample(0));
        for (int len = 0; len < full.length; len += 97) {
            byte[] cut = java.util.Arrays.copyOf(full, len);
            ResultFiles.Read r = ResultFiles.parse(Path.of("cut.ktstr.json"), cut);
            assertNull(r.result(), "prefix of " + len + " bytes parsed as a result");
            assertTrue(r.bad().problem() == BadResultFile.Problem.TRUNCATED, len + ": " + r.bad());
        }
        String text = new String(full, StandardCharsets.UTF_8);
        ObjectNode tree = (ObjectNode) ResultFiles.mapper().readTree(text);
        assertEquals(1, tree.get("schema_version").asInt());
    }

    @Test
    void directoryLayoutHonoursTheEnvironmentOverride() {
        Path root = Path.of("target", "ktstr");
        assertEquals(root.resolve("7.3.4-abc123-dirty"), ResultFiles.directory(Map.of(), root, "7.3.4", "abc123-dirty"));
        assertEquals(root.resolve("unknown-unknown"), ResultFiles.directory(Map.of(), root, null, " "));
        assertEquals(Path.of("/x/y"), ResultFiles.directory(Map.of("KTSTR_RESULTS_DIR", "/x/y"), root, "k", "c"));
        assertEquals(root.resolve("7.3.4_.._evil-c"), ResultFiles.directory(Map.of(), root, "7.3.4/../evil", "c"));
        assertEquals(root.resolve("_-c"), ResultFiles.directory(Map.of(), root, "..", "c"));
    }

    @Test
    void runDirectoriesAreFoundNewestFirst() throws IOException {
        Path old = dir.resolve("7.3.4-old");
        Path neu = dir.resolve("7.3.4-new");
        Path oldFile = ResultFiles.write(old, sample(0));
        ResultFiles.write(neu, sample(0));
        Files.setLastModifiedTime(oldFile, java.nio.file.attribute.FileTime.fromMillis(1_000));
        Files.createDirectories(dir.resolve("empty"));
        assertEquals(List.of(neu, old), ResultFiles.runDirectories(dir));
        assertEquals(List.of(), ResultFiles.runDirectories(dir.resolve("absent")));
    }
}

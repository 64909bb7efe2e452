package dev.ktstr.runtime.cli.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ktstr.runtime.scenario.canned.CatalogEntry;
import dev.ktstr.runtime.scenario.engine.ScenarioRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes {@code <outDir>/<scenario>-<repetition>.json}: the run's {@link ScenarioSummary}. */
public final class JsonSummaryRecorder implements RunRecorder {

    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public void record(Path outDir, CatalogEntry entry, int repetition, ScenarioRun run, GuestSession session)
            throws IOException {
        Files.createDirectories(outDir);
        Path file = outDir.resolve(entry.name() + "-" + repetition + ".json");
        Path tmp = outDir.resolve("." + file.getFileName() + ".tmp");
        try {
            mapper.writeValue(tmp.toFile(), ScenarioSummary.of(run, repetition, session.describe()));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}

package dev.ktstr.runtime.cli.scenario;

import dev.ktstr.runtime.scenario.canned.CatalogEntry;
import dev.ktstr.runtime.scenario.engine.ScenarioRun;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Keeps the result of one run of a catalog scenario under {@code --out}. The default writes a
 * {@link ScenarioSummary} per run ({@link JsonSummaryRecorder}); the integrator may substitute one
 * that writes full result files.
 */
@FunctionalInterface
public interface RunRecorder {

    void record(Path outDir, CatalogEntry entry, int repetition, ScenarioRun run, GuestSession session)
            throws IOException;
}

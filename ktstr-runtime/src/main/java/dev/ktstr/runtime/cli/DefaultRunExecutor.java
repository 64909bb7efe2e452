package dev.ktstr.runtime.cli;

import dev.ktstr.runtime.cli.scenario.CatalogRunExecutor;
import dev.ktstr.runtime.cli.scenario.RunExecutor;
import dev.ktstr.runtime.cli.scenario.RunPlan;
import java.io.PrintWriter;

/**
 * The {@code ktstr run} executor: catalog scenarios in sessions from {@link RunSessions}. A session
 * that cannot be opened (no engine or kernel, a scheduler that is not found, a VM that does not
 * boot) ends the run with its one-line reason and exit status 2.
 */
public final class DefaultRunExecutor implements RunExecutor {

    /** Exit status when no session could be opened. */
    public static final int EXIT_UNAVAILABLE = 2;

    @Override
    public int execute(RunPlan plan, PrintWriter out, PrintWriter err) throws Exception {
        try {
            return new CatalogRunExecutor(new RunSessions()).execute(plan, out, err);
        } catch (RunSessions.SessionUnavailable e) {
            out.flush();
            err.println("ktstr run: " + e.getMessage());
            err.flush();
            return EXIT_UNAVAILABLE;
        }
    }
}

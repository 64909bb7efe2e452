package dev.ktstr.runtime.cli;

import dev.ktstr.runtime.cli.scenario.CatalogRunExecutor;
import dev.ktstr.runtime.cli.scenario.RunExecutor;
import dev.ktstr.runtime.cli.scenario.RunPlan;
import java.io.PrintWriter;

/** The {@code ktstr run} executor: catalog scenarios in sessions from {@link RunSessions}. */
public final class DefaultRunExecutor implements RunExecutor {

    @Override
    public int execute(RunPlan plan, PrintWriter out, PrintWriter err) throws Exception {
        return new CatalogRunExecutor(new RunSessions()).execute(plan, out, err);
    }
}

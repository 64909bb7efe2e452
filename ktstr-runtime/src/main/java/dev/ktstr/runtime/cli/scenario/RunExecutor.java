package dev.ktstr.runtime.cli.scenario;

import java.io.PrintWriter;

/**
 * Runs a {@link RunPlan} (the integrator supplies one for VMs and bare metal;
 * {@link CatalogRunExecutor} is the standard one over a {@link GuestSessionFactory}). Found by
 * {@link java.util.ServiceLoader} when {@link RunCommand} is created without one.
 */
public interface RunExecutor {

    /**
     * Runs the plan, printing progress and results.
     *
     * @return the exit status: 0 when every run passed or was skipped, 1 when any failed or errored
     */
    int execute(RunPlan plan, PrintWriter out, PrintWriter err) throws Exception;
}

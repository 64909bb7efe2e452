/**
 * The scenario commands of the {@code ktstr} CLI (picocli): {@code list} (the catalog),
 * {@code show-thresholds} (merged check thresholds of a test or scenario) and {@code run} (catalog
 * scenarios in a VM or on bare metal). The commands parse and validate — bad input is an error
 * before any VM boots — and hand a {@link dev.ktstr.runtime.cli.scenario.RunPlan} to a
 * {@link dev.ktstr.runtime.cli.scenario.RunExecutor}.
 * {@link dev.ktstr.runtime.cli.scenario.CatalogRunExecutor} is the executor over a
 * {@link dev.ktstr.runtime.cli.scenario.GuestSessionFactory}, which the runner supplies (VM boot, or
 * the agent as a child process on bare metal, checked with
 * {@link dev.ktstr.runtime.cli.scenario.BareMetalPreflight}).
 *
 * <p>Not here: the root {@code ktstr} command, booting VMs, the agent transports, result files.
 */
package dev.ktstr.runtime.cli.scenario;

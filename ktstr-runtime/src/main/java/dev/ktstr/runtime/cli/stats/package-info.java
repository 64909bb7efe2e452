/**
 * The {@code ktstr stats} command line (picocli): {@code list}, {@code show}, {@code compare},
 * {@code list-metrics} and {@code report}. {@link dev.ktstr.runtime.cli.stats.StatsCommand} is the
 * group; the root {@code ktstr} command attaches it as a subcommand, and its static
 * {@code execute} runs it standalone. The logic lives in {@code dev.ktstr.runtime.stats} and
 * {@code dev.ktstr.runtime.result}; these classes only parse options, read runs and print.
 */
package dev.ktstr.runtime.cli.stats;

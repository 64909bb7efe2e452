/**
 * The {@code ktstr} command line: {@link dev.ktstr.runtime.cli.Main} is the root command; each
 * subcommand lives in its own class or sub-package ({@code kernel}, {@code stats}, {@code scenario})
 * and delegates to the runtime's packages. Commands parse and report; they hold no logic of their own.
 */
package dev.ktstr.runtime.cli;

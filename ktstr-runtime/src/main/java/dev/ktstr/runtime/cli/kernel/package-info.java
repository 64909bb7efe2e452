/**
 * The {@code ktstr kernel} command line ({@link dev.ktstr.runtime.cli.kernel.KernelCommand}) with its
 * {@code fetch}, {@code build}, {@code list} and {@code clean} subcommands: argument parsing and output
 * only; the work is done by {@code dev.ktstr.runtime.kernel}.
 */
package dev.ktstr.runtime.cli.kernel;

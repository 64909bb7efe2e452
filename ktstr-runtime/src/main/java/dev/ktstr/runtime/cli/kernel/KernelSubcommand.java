package dev.ktstr.runtime.cli.kernel;

import dev.ktstr.runtime.kernel.KernelException;
import java.util.concurrent.Callable;
import picocli.CommandLine.ParentCommand;

/**
 * The shared shape of the {@code kernel} subcommands: a {@link KernelException} becomes one
 * {@code ktstr kernel <name>: <message>} line on stderr and exit status {@link KernelCommand#EXIT_FAILED},
 * not a stack trace.
 */
abstract class KernelSubcommand implements Callable<Integer> {

    @ParentCommand
    KernelCommand parent;

    /** The command's work; returns its exit status. */
    abstract int execute() throws KernelException;

    abstract String name();

    @Override
    public final Integer call() {
        try {
            return execute();
        } catch (KernelException e) {
            parent.err().println("ktstr kernel " + name() + ": " + e.getMessage());
            parent.err().flush();
            return KernelCommand.EXIT_FAILED;
        }
    }
}

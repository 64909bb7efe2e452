package dev.ktstr.runtime.cli.stats;

/**
 * A stats command cannot do what was asked (no runs, a bad policy file): printed as one line, exit
 * status {@value StatsCommand#EXIT_ERROR}.
 */
public final class StatsException extends RuntimeException {

    public StatsException(String message) {
        super(message);
    }

    public StatsException(String message, Throwable cause) {
        super(message, cause);
    }
}

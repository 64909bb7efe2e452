package dev.ktstr.runtime.agent;

/** A request to the agent failed; {@link #kind()} says how. */
public class AgentException extends Exception {

    private static final long serialVersionUID = 1L;

    /** How a request failed. */
    public enum Kind {
        /** The agent executed the request and reported an error (errno + message). */
        REMOTE_ERROR,
        /** The agent (or its VM) is gone: channel closed, VM ended, agent crashed. */
        AGENT_DIED,
        /** No reply within the request's deadline. */
        TIMEOUT,
        /** Malformed message, bad CRC, wrong version. */
        PROTOCOL_ERROR
    }

    private final Kind kind;
    private final int errno;

    public AgentException(Kind kind, String message) {
        this(kind, 0, message, null);
    }

    public AgentException(Kind kind, int errno, String message, Throwable cause) {
        super(kind + ": " + message, cause);
        this.kind = kind;
        this.errno = errno;
    }

    public Kind kind() {
        return kind;
    }

    /** The guest errno for {@link Kind#REMOTE_ERROR}, else 0. */
    public int errno() {
        return errno;
    }
}

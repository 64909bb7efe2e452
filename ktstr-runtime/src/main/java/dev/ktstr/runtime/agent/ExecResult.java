package dev.ktstr.runtime.agent;

import java.nio.charset.StandardCharsets;

/** How an {@link ExecRequest} ended. {@code termSignal} is 0 unless a signal killed it. */
public record ExecResult(int exitCode, int termSignal, boolean timedOut, byte[] stdout, byte[] stderr, long wallNs) {

    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    public boolean succeeded() {
        return exitCode == 0 && termSignal == 0 && !timedOut;
    }
}

package dev.ktstr.runtime.agent;

/** A background process's end, or {@code exited=false} when it was still running at the deadline. */
public record ProcessExit(boolean exited, int exitCode, int termSignal, byte[] output) {}

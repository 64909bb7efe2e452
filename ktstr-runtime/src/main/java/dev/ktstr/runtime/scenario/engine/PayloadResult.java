package dev.ktstr.runtime.scenario.engine;

/**
 * How a payload started by {@code Op.RunPayload} ended.
 *
 * @param name        the payload's name
 * @param exited      it exited ({@code false}: still running at its deadline, then killed)
 * @param killed      the scenario killed it ({@code Op.KillPayload} or step teardown)
 * @param exitCode    exit code
 * @param termSignal  signal that ended it, 0 if none
 * @param output      the tail of its output
 */
public record PayloadResult(String name, boolean exited, boolean killed, int exitCode, int termSignal, String output) {}

package dev.ktstr.runtime.agent;

import java.time.Duration;
import java.util.List;

/**
 * A program to run to completion in the guest.
 *
 * @param argv     program and arguments ({@code argv[0]} is looked up in PATH)
 * @param env      extra {@code KEY=VALUE} entries
 * @param cgroup   cgroup to run in ("" = the agent's own)
 * @param timeout  killed (SIGKILL) after this long
 * @param stdin    bytes fed to its standard input
 */
public record ExecRequest(List<String> argv, List<String> env, String cgroup, Duration timeout, byte[] stdin) {

    public static ExecRequest of(Duration timeout, String... argv) {
        return new ExecRequest(List.of(argv), List.of(), "", timeout, new byte[0]);
    }

    /** {@code /bin/sh -c script}. */
    public static ExecRequest shell(String script, Duration timeout) {
        return of(timeout, "/bin/sh", "-c", script);
    }
}

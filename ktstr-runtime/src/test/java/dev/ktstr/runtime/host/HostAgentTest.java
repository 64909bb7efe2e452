package dev.ktstr.runtime.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.runtime.agent.AgentException;
import dev.ktstr.runtime.agent.ExecRequest;
import dev.ktstr.runtime.agent.ExecResult;
import dev.ktstr.runtime.agent.GuestAgent;
import dev.ktstr.runtime.agent.ProcessExit;
import dev.ktstr.topology.CpuSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real agent binary in bare-metal mode: the same protocol code as in a VM, over pipes. */
class HostAgentTest {

    @Test
    void runsProgramsAndReportsTheirEnd(@TempDir Path dir) throws Exception {
        try (HostAgent h = HostAgent.start(null)) {
            GuestAgent a = h.agent();
            assertEquals("host", a.info().mode());
            assertTrue(a.info().cpus() >= 1);
            assertTrue(a.ping() > 0);

            ExecResult r = a.exec(new ExecRequest(List.of("/bin/sh", "-c", "cat; echo err >&2; exit 3"),
                    List.of("FOO=bar"), "", Duration.ofSeconds(10), "input".getBytes(StandardCharsets.UTF_8)));
            assertEquals(3, r.exitCode());
            assertEquals("input", r.stdoutText());
            assertEquals("err\n", r.stderrText());
            assertEquals("bar\n", a.exec(new ExecRequest(List.of("/bin/sh", "-c", "echo $FOO"), List.of("FOO=bar"), "",
                    Duration.ofSeconds(10), new byte[0])).stdoutText());

            ExecResult slow = a.exec(ExecRequest.of(Duration.ofMillis(300), "/bin/sleep", "30"));
            assertTrue(slow.timedOut(), "timed out");
            assertEquals(9, slow.termSignal());
            assertTrue(slow.wallNs() < TimeUnit.SECONDS.toNanos(10));

            AgentException missing = assertThrows(AgentException.class,
                    () -> a.exec(ExecRequest.of(Duration.ofSeconds(5), "/no/such/program")));
            assertEquals(AgentException.Kind.REMOTE_ERROR, missing.kind());
            assertEquals(2, missing.errno());

            Path f = dir.resolve("x.txt");
            a.writeFile(f.toString(), "one".getBytes(StandardCharsets.UTF_8), false);
            a.writeFile(f.toString(), "two".getBytes(StandardCharsets.UTF_8), true);
            assertEquals("onetwo", Files.readString(f));
            assertArrayEquals("onetwo".getBytes(StandardCharsets.UTF_8), a.readFile(f.toString(), 0));
            assertEquals("on", new String(a.readFile(f.toString(), 2), StandardCharsets.UTF_8));
        }
    }

    @Test
    void backgroundProcessesCanBeSignalledAndAwaited() throws Exception {
        try (HostAgent h = HostAgent.start(null)) {
            GuestAgent a = h.agent();
            a.spawn("payload", List.of("/bin/sh", "-c", "echo started; exec sleep 60"), List.of(), "");
            ProcessExit still = a.await("payload", Duration.ofMillis(200));
            assertFalse(still.exited());
            a.signal("payload", 15);
            ProcessExit done = a.await("payload", Duration.ofSeconds(10));
            assertTrue(done.exited());
            assertEquals(15, done.termSignal());
            assertEquals("started\n", new String(done.output(), StandardCharsets.UTF_8));
            AgentException e = assertThrows(AgentException.class, () -> a.signal("nobody", 15));
            assertTrue(e.getMessage().contains("no process named 'nobody'"), e.getMessage());
        }
    }

    @Test
    void cgroupRequestsSayWhyTheyCannotWorkOrWork() throws Exception {
        try (HostAgent h = HostAgent.start(null)) {
            GuestAgent a = h.agent();
            if (a.info().cgroupsUsable()) {
                a.createCgroup("t/x");
                a.setCpuset("t/x", CpuSet.of(0), CpuSet.of(0));
                a.removeCgroup("t");
            } else {
                AgentException e = assertThrows(AgentException.class, () -> a.createCgroup("t"));
                assertEquals(AgentException.Kind.REMOTE_ERROR, e.kind());
                assertTrue(e.getMessage().contains("cgroups and cpusets are unavailable"), e.getMessage());
                assertTrue(a.info().cgroupProblem().contains("cgroup"), a.info().cgroupProblem());
            }
        }
    }

    @Test
    void aKilledAgentIsANamedErrorAtOnceAndLeavesNoChildren() throws Exception {
        HostAgent h = HostAgent.start(null);
        GuestAgent a = h.agent();
        ProcessHandle agentProc = ProcessHandle.of(h.pid()).orElseThrow();
        Thread killer = new Thread(() -> {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            agentProc.destroyForcibly();
        });
        killer.start();
        long t0 = System.nanoTime();
        AgentException e = assertThrows(AgentException.class,
                () -> a.exec(ExecRequest.of(Duration.ofSeconds(60), "/bin/sleep", "60")));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(AgentException.Kind.AGENT_DIED, e.kind());
        assertTrue(ms < 10_000, "noticed within " + ms + " ms");
        assertTrue(e.getMessage().contains("host agent pid " + h.pid()), e.getMessage());
        agentProc.onExit().get(10, TimeUnit.SECONDS);
        // Its child (sleep 60) dies with it (PR_SET_PDEATHSIG).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        boolean orphan = true;
        while (System.nanoTime() < deadline && orphan) {
            orphan = ProcessHandle.allProcesses().anyMatch(p -> p.parent().map(pp -> pp.pid() == 1).orElse(false)
                    && p.info().commandLine().orElse("").equals("/bin/sleep 60"));
            Thread.sleep(100);
        }
        assertFalse(orphan, "the agent's child outlived it");
        h.close();
    }
}

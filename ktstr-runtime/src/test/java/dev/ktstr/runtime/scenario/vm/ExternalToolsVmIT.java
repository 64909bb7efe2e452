package dev.ktstr.runtime.scenario.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ktstr.runtime.checks.CgroupSample;
import dev.ktstr.runtime.checks.Thresholds;
import dev.ktstr.runtime.measure.LatencyHistogram;
import dev.ktstr.runtime.measure.WorkerReport;
import dev.ktstr.runtime.result.Outcome;
import dev.ktstr.runtime.scenario.CgroupDef;
import dev.ktstr.runtime.scenario.CpusetSpec;
import dev.ktstr.runtime.scenario.HoldSpec;
import dev.ktstr.runtime.scenario.Op;
import dev.ktstr.runtime.scenario.Scenario;
import dev.ktstr.runtime.scenario.ScenarioEnv;
import dev.ktstr.runtime.scenario.SchedPolicy;
import dev.ktstr.runtime.scenario.Step;
import dev.ktstr.runtime.scenario.WorkType;
import dev.ktstr.runtime.scenario.engine.EngineOptions;
import dev.ktstr.runtime.scenario.engine.ScenarioEngine;
import dev.ktstr.runtime.scenario.engine.ScenarioRun;
import dev.ktstr.topology.Topology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The harness's figures against independent tools run in the same guest, in the same scenario run,
 * on the same CPU: stress-ng, cyclictest and hackbench (Debian {@code stress-ng} and
 * {@code rt-tests}), shipped with {@code GuestLauncher.Request.includes} (which brings their shared
 * libraries along) and started as payloads or as a Custom worker.
 *
 * <ul>
 *   <li><b>Iterations and CPU time vs stress-ng.</b> A CpuSpin worker runs alone on CPU 1, then
 *       beside {@code stress-ng --cpu 1 --taskset 1 --timeout 2}. stress-ng's own report
 *       ({@code -Y}: user + system time of its stressor) is the CPU the spinner lost: the spinner's
 *       schedstat run delay (time runnable but not running) must equal it within 25 % + 150 ms,
 *       and its iterations must be what its solo rate (iterations per wall second) predicts for
 *       the wall time stress-ng left it, within 20 %.</li>
 *   <li><b>Wake-up latency vs cyclictest.</b> A Sequence worker that sleeps 7 ms per iteration and
 *       {@code cyclictest -i 10000} (sleeping to 10 ms marks) both run in SCHED_FIFO at priority 2
 *       on CPU 1 (cyclictest's measuring thread is FIFO whatever {@code --policy} says: rt-tests 2.4
 *       defaults its priority to 2, so the worker joins it there) and measure the same thing: how
 *       late a timer sleep wakes up. The harness's samples are the time across the sleep, so
 *       sample − 7 ms is its latency; the medians of the two distributions must agree within 50 %
 *       or 200 µs, whichever is larger (cyclictest sleeps to an absolute time, the worker for a
 *       relative 7 ms, so the worker's figure also holds the syscall's entry; the periods differ so
 *       that neither keeps waking just behind the other).</li>
 *   <li><b>A Custom worker vs hackbench.</b> hackbench run as a Custom worker (exec'd by the
 *       worker, its output redirected to a file) reports its own run time; the harness's wall time
 *       for that worker (start gate to exit) must cover it, with at most 3 s of process start-up on
 *       top, and the report must say it ended by itself with 0.</li>
 * </ul>
 * Figures measured here are printed to stderr for the record.
 */
@Tag("vm")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExternalToolsVmIT {

    private static final String DIR = "/include-files/";
    private static final List<String> TOOLS = List.of("stress-ng", "cyclictest", "hackbench");

    private VmGuest guest;

    @BeforeAll
    void boot() throws Exception {
        for (String t : TOOLS) {
            assumeTrue(onPath(t), t + " is not installed (Debian packages stress-ng and rt-tests)");
        }
        guest = VmGuest.boot(new Topology(1, 1, 2, 1), TOOLS);
    }

    @AfterAll
    void shutdown() {
        if (guest != null) {
            guest.close();
        }
    }

    private static boolean onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, name))) {
                return true;
            }
        }
        return false;
    }

    private ScenarioRun run(Scenario s, Duration duration) {
        ScenarioEngine engine = new ScenarioEngine(guest.agent(), EngineOptions.defaults()
                .withChecks(Thresholds.NONE, Thresholds.builder().maxSpreadPct(100).build())
                .withStopDeadline(Duration.ofSeconds(20)));
        ScenarioRun r = engine.run(s, ScenarioEnv.of(guest.topology, duration, 1, null));
        assertEquals(Outcome.Status.PASSED, r.status(), r.report());
        return r;
    }

    private static WorkerReport worker(ScenarioRun r, String cgroup) {
        CgroupSample s = r.samples().stream().filter(c -> c.cgroup().equals(cgroup)).findFirst()
                .orElseThrow(() -> new AssertionError("no sample of " + cgroup + ": " + r.report()));
        return s.workers().get(0).report();
    }

    private String guestFile(String path) throws Exception {
        return new String(guest.agent().readFile(path, 1 << 20), StandardCharsets.UTF_8);
    }

    private static double yamlNumber(String yaml, String key) {
        Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(key) + ":\\s*([0-9.]+)\\s*$").matcher(yaml);
        assertTrue(m.find(), key + " in stress-ng's report:\n" + yaml);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void stressNgCpuTimeIsWhatTheSpinnerLost() throws Exception {
        Scenario s = Scenario.of("stress_ng_share", "a spinner alone, then beside stress-ng on CPU 1",
                Step.withDefs(HoldSpec.fixed(Duration.ofMillis(1500)),
                        CgroupDef.named("solo").withCpuset(CpusetSpec.exact(1)).workers(1)),
                Step.withDefs(HoldSpec.fixed(Duration.ofMillis(3500)),
                        CgroupDef.named("shared").withCpuset(CpusetSpec.exact(1)).workers(1))
                        .setOps(Op.runPayload("stress-ng", "", DIR + "stress-ng", "--cpu", "1", "--taskset", "1",
                                "--timeout", "2", "--metrics", "-Y", "/tmp/stress-ng.yaml")));
        ScenarioRun r = run(s, Duration.ofSeconds(5));
        assertTrue(r.payloads().stream().anyMatch(p -> p.name().equals("stress-ng") && !p.killed() && p.exitCode() == 0),
                "stress-ng ended by itself inside the step: " + r.payloads());
        WorkerReport solo = worker(r, "solo");
        WorkerReport shared = worker(r, "shared");
        String yaml = guestFile("/tmp/stress-ng.yaml");
        double toolCpuNs = (yamlNumber(yaml, "user-time") + yamlNumber(yaml, "system-time")) * 1e9;
        double toolWallNs = yamlNumber(yaml, "wall-clock-time") * 1e9;
        double soloRate = solo.iterations() / (solo.wallTimeNs() / 1e9);
        double predicted = soloRate * (shared.wallTimeNs() - toolCpuNs) / 1e9;
        System.err.printf(Locale.ROOT, "stress-ng: %.0f ms CPU in %.0f ms; spinner beside it: run delay %.0f ms, "
                + "off-CPU %.0f ms, %d iterations (solo rate %.0f/s predicts %.0f)%n", toolCpuNs / 1e6,
                toolWallNs / 1e6, shared.schedstatRunDelayNs() / 1e6, shared.offCpuNs() / 1e6, shared.iterations(),
                soloRate, predicted);
        assertTrue(toolCpuNs > 2e8, "stress-ng got a real share of CPU 1: " + yaml);
        assertTrue(Math.abs(shared.schedstatRunDelayNs() - toolCpuNs) <= 0.25 * toolCpuNs + 150e6,
                "the spinner waited while stress-ng ran" + VmGuest.describe(List.of(solo, shared)));
        assertTrue(Math.abs(shared.iterations() - predicted) <= 0.2 * predicted,
                "iterations follow the CPU stress-ng left" + VmGuest.describe(List.of(solo, shared)));
    }

    @Test
    void cyclictestAndTheHarnessSeeTheSameWakeupLatency() throws Exception {
        long sleepNs = 7_000_000L;
        WorkType sleeper = WorkType.Sequence.of(WorkType.Phase.sleep(Duration.ofNanos(sleepNs)));
        Scenario s = Scenario.of("cyclictest_latency", "timer sleeps, measured by both",
                Step.withDefs(HoldSpec.fixed(Duration.ofMillis(3000)),
                        CgroupDef.named("sleeper").withCpuset(CpusetSpec.exact(1)).workers(1).workType(sleeper)
                                .schedPolicy(SchedPolicy.fifo(2)))
                        .setOps(Op.runPayload("cyclictest", "", DIR + "cyclictest", "-t1", "-a1", "--policy=fifo", "-p2",
                                "-i10000", "-l150", "-q", "-h", "100000", "--json=/tmp/cyclictest.json")));
        ScenarioRun r = run(s, Duration.ofSeconds(3));
        assertTrue(r.payloads().stream().anyMatch(p -> p.name().equals("cyclictest") && !p.killed() && p.exitCode() == 0),
                "cyclictest ended by itself inside the step: " + r.payloads());
        WorkerReport w = worker(r, "sleeper");
        JsonNode t = new ObjectMapper().readTree(guestFile("/tmp/cyclictest.json")).path("thread").path("0");
        List<Long> toolUs = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = t.path("histogram").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            for (int i = 0; i < e.getValue().asInt(); i++) {
                toolUs.add(Long.parseLong(e.getKey()));
            }
        }
        assertTrue(toolUs.size() >= 100, "cyclictest's histogram: " + t);
        toolUs.sort(null);
        double toolMedianNs = toolUs.get(toolUs.size() / 2) * 1000.0;
        LatencyHistogram h = w.wakeLatency();
        double harnessMedianNs = h.percentileNs(0.5) - sleepNs;
        System.err.printf(Locale.ROOT, "timer sleeps on CPU 1, SCHED_FIFO 2: cyclictest median %.0f us (min %d, avg %.1f, "
                + "max %d, %d cycles); harness median %.0f us (min %.0f, p99 %.0f, %d samples)%n", toolMedianNs / 1e3,
                t.path("min").asLong(), t.path("avg").asDouble(), t.path("max").asLong(), toolUs.size(),
                harnessMedianNs / 1e3, (h.minNs() - sleepNs) / 1e3, (h.percentileNs(0.99) - sleepNs) / 1e3, h.count());
        assertTrue(h.count() >= 100 && h.minNs() >= sleepNs, VmGuest.describe(List.of(w)));
        assertTrue(Math.abs(harnessMedianNs - toolMedianNs) <= Math.max(0.5 * toolMedianNs, 200_000),
                "median wake-up latency: harness " + harnessMedianNs / 1e3 + " us, cyclictest " + toolMedianNs / 1e3
                        + " us");
    }

    @Test
    void hackbenchAsACustomWorker() throws Exception {
        WorkType hb = new WorkType.Custom("hackbench", Path.of("/bin/sh"), List.of("-c",
                "exec " + DIR + "hackbench -p -g 1 -f 2 -l 2000 > /tmp/hackbench.out 2>&1"));
        Scenario s = Scenario.of("hackbench", "hackbench as a Custom worker", Step.withDefs(HoldSpec.FULL,
                CgroupDef.named("hb").workers(1).workType(hb)));
        ScenarioRun r = run(s, Duration.ofSeconds(8));
        WorkerReport w = worker(r, "hb");
        String out = guestFile("/tmp/hackbench.out");
        Matcher m = Pattern.compile("Time: ([0-9.]+)").matcher(out);
        assertTrue(m.find(), "hackbench's report: " + out);
        double toolNs = Double.parseDouble(m.group(1)) * 1e9;
        System.err.printf(Locale.ROOT, "hackbench: Time %.0f ms; harness: wall %.0f ms, CPU %.0f ms, %d switches%n",
                toolNs / 1e6, w.wallTimeNs() / 1e6, w.cpuTimeNs() / 1e6, w.voluntarySwitches() + w.involuntarySwitches());
        assertTrue(w.exitKind() == WorkerReport.ExitKind.OK && w.completed() && w.exitCode() == 0,
                "hackbench ended by itself with 0" + VmGuest.describe(List.of(w)));
        assertTrue(w.wallTimeNs() >= toolNs && w.wallTimeNs() <= toolNs + 3e9,
                "the worker's wall covers hackbench's own time" + VmGuest.describe(List.of(w)));
        assertTrue(w.cpuTimeNs() > 0 && w.cpuTimeNs() < w.wallTimeNs(), VmGuest.describe(List.of(w)));
    }
}

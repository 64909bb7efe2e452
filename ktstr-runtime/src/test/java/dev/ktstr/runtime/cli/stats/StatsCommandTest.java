package dev.ktstr.runtime.cli.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ktstr.runtime.result.ResultFiles;
import dev.ktstr.runtime.stats.Fixtures;
import dev.ktstr.runtime.stats.Metrics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ktstr stats} subcommands end to end on result directories written by {@link ResultFiles}. */
class StatsCommandTest {

    @TempDir
    Path root;

    record Run(int rc, String out, String err) {}

    static Run stats(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = StatsCommand.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(rc, out.toString(), err.toString());
    }

    @Test
    void compareFindsTheInjectedRegressionsAndExitsNonZero() throws Exception {
        Path[] ab = Fixtures.abPair(root);
        Run r = stats("compare", "--a-dir", ab[0].toString(), "--b-dir", ab[1].toString());
        assertEquals(1, r.rc, r.out + r.err);
        assertTrue(r.out.contains("REGRESSIONS"), r.out);
        assertTrue(r.out.contains("worst_p99_wake_latency_us"), r.out);
        assertTrue(r.out.contains("total_iterations"), r.out);
        assertTrue(r.out.contains("IMPROVEMENTS"), r.out);
        assertTrue(r.out.contains("[KtstrResultTruncated]"), "bad file named: " + r.out);
        assertTrue(r.out.contains("B FAILED"), "failed run reported: " + r.out);
        assertTrue(r.out.contains("runs A 48 (0 not passed), B 48 (1 not passed)"), r.out);
        assertTrue(r.out.contains("unreadable files A 0, B 1"), r.out);
    }

    @Test
    void compareJsonCarriesEveryCellAndTheCounts() throws Exception {
        Path[] ab = Fixtures.abPair(root);
        Run r = stats("compare", "--a-dir", ab[0].toString(), "--b-dir", ab[1].toString(), "--json");
        assertEquals(1, r.rc, r.err);
        JsonNode j = ResultFiles.mapper().readTree(r.out);
        assertTrue(j.get("regression").asBoolean());
        JsonNode counts = j.get("comparison").get("counts");
        assertEquals(6, counts.get("pairs_compared").asInt());
        assertEquals(j.get("comparison").get("cells").size(), counts.get("cells").asInt());
        assertEquals(1, counts.get("bad_files_b").asInt());
        assertTrue(counts.get("verdicts").get("REGRESSION").asInt() >= 4);
    }

    @Test
    void identicalDirectoriesHaveNoRegression() throws Exception {
        Path[] ab = Fixtures.abPair(root);
        Run r = stats("compare", "--a-dir", ab[0].toString(), "--b-dir", ab[0].toString());
        assertEquals(0, r.rc, r.out + r.err);
        assertTrue(r.out.contains("0 regressions"), r.out);
    }

    @Test
    void defaultCompareTakesTheTwoNewestRuns() throws Exception {
        Path[] ab = Fixtures.abPair(root);
        Files.setLastModifiedTime(ab[0].resolve(Files.list(ab[0]).findFirst().orElseThrow().getFileName()),
                java.nio.file.attribute.FileTime.fromMillis(1000));
        Run r = stats("--root", root.toString(), "compare");
        assertTrue(r.out.contains("A (baseline):  " + ab[0]) || r.out.contains("A (baseline):  " + ab[1]), r.out);
        assertTrue(r.out.contains("pairs compared"), r.out);
    }

    @Test
    void perSideSchedulerFiltersCompareWithinOnePool() throws Exception {
        Path dir = root.resolve("pool");
        var rows = new java.util.ArrayList<dev.ktstr.runtime.result.RunResult>();
        for (int rep = 0; rep < 6; rep++) {
            rows.add(Fixtures.onScheduler(Fixtures.run("t", "7.3.4", rep,
                    java.util.Map.of("total_iterations", 50_000.0 + rep)), "scx_simple"));
            rows.add(Fixtures.onScheduler(Fixtures.run("t", "7.3.4", rep,
                    java.util.Map.of("total_iterations", 30_000.0 + rep)), "scx_degraded"));
        }
        Fixtures.write(dir, rows);
        Run r = stats("--root", root.toString(), "compare", "--a-scheduler", "scx_simple", "--b-scheduler",
                "scx_degraded");
        assertEquals(1, r.rc, r.out + r.err);
        assertTrue(r.out.contains("comparing scheduler: scx_simple -> scx_degraded"), r.out);
        assertTrue(r.out.contains("total_iterations"), r.out);
    }

    @Test
    void listShowsRunsAndBadFiles() throws Exception {
        Fixtures.abPair(root);
        Run r = stats("--root", root.toString(), "list");
        assertEquals(0, r.rc, r.err);
        assertTrue(r.out.contains("7.3.4-base"), r.out);
        assertTrue(r.out.contains("7.3.4-cand"), r.out);
        assertTrue(r.out.contains("[KtstrResultTruncated]"), r.out);
    }

    @Test
    void showSummarizesPerTest() throws Exception {
        Path[] ab = Fixtures.abPair(root);
        Run r = stats("--root", root.toString(), "show", ab[1].toString());
        assertEquals(0, r.rc, r.err);
        assertTrue(r.out.contains("SyntheticTest#t005"), r.out);
        assertTrue(r.out.contains("FAILED"), r.out);
        assertTrue(r.out.contains("Starved"), r.out);
        assertTrue(r.out.contains("worst_p99_wake_latency_us"), r.out);
    }

    @Test
    void listMetricsNamesEveryMetric() throws Exception {
        Run r = stats("list-metrics");
        assertEquals(0, r.rc);
        Metrics.ALL.forEach(m -> assertTrue(r.out.contains(m.name()), m.name()));
        Run j = stats("list-metrics", "--json");
        JsonNode arr = ResultFiles.mapper().readTree(j.out);
        assertEquals(Metrics.ALL.size(), arr.size());
        assertEquals("higher", arr.get(12).get("better").asText());
        assertEquals("total_iterations", arr.get(12).get("name").asText());
    }

    @Test
    void thresholdAndPolicyChangeTheGate() throws Exception {
        Path[] ab = Fixtures.abPair(root);
        // A 60 % relative gate: none of the injected 15-35 % shifts clears it.
        Run r = stats("compare", "--a-dir", ab[0].toString(), "--b-dir", ab[1].toString(), "--threshold", "60");
        assertEquals(0, r.rc, r.out);
        Path policy = root.resolve("policy.json");
        Files.writeString(policy, "{\"default_percent\": 60, \"per_metric_percent\": {\"total_iterations\": 5}}");
        Run p = stats("compare", "--a-dir", ab[0].toString(), "--b-dir", ab[1].toString(), "--policy",
                policy.toString());
        assertEquals(1, p.rc, p.out);
        assertTrue(p.out.contains("total_iterations"), p.out);
        assertTrue(!p.out.contains("worst_p99_wake_latency_us   "), p.out);
    }

    @Test
    void badPolicyIsANamedError() throws Exception {
        Path[] ab = Fixtures.abPair(root);
        Path policy = root.resolve("policy.json");
        Files.writeString(policy, "{\"per_metric_percent\": {\"worst_p99_latency\": 5}}");
        Run r = stats("compare", "--a-dir", ab[0].toString(), "--b-dir", ab[1].toString(), "--policy",
                policy.toString());
        assertEquals(StatsCommand.EXIT_ERROR, r.rc);
        assertTrue(r.err.contains("[KtstrPolicy]") && r.err.contains("worst_p99_latency"), r.err);
    }

    @Test
    void rootMayFollowTheSubcommandAndStatsAloneShowsTheNewestRun() throws Exception {
        Fixtures.abPair(root);
        Run list = stats("list", "--root", root.toString());
        assertEquals(0, list.rc, list.err);
        assertTrue(list.out.contains("7.3.4-base"), list.out);
        Run show = stats("--root", root.toString());
        assertEquals(0, show.rc, show.err);
        assertTrue(show.out.startsWith("run: "), show.out);
    }

    @Test
    void noRunsIsANamedError() {
        Run r = stats("--root", root.resolve("nothing").toString(), "compare");
        assertEquals(StatsCommand.EXIT_ERROR, r.rc);
        assertTrue(r.err.contains("[KtstrNoResults]"), r.err);
    }
}

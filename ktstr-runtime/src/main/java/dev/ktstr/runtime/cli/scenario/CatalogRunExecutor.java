package dev.ktstr.runtime.cli.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ktstr.runtime.checks.FailureKind;
import dev.ktstr.runtime.checks.Thresholds;
import dev.ktstr.runtime.result.Outcome;
import dev.ktstr.runtime.scenario.ScenarioEnv;
import dev.ktstr.runtime.scenario.canned.CatalogEntry;
import dev.ktstr.runtime.scenario.engine.EngineClock;
import dev.ktstr.runtime.scenario.engine.EngineOptions;
import dev.ktstr.runtime.scenario.engine.ScenarioEngine;
import dev.ktstr.runtime.scenario.engine.ScenarioRun;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs each scenario of a {@link RunPlan} {@code repeat} times in sessions from a
 * {@link GuestSessionFactory}: one session for the whole plan, replaced by a fresh one after a run
 * whose agent failed. Prints a line per run (the failures and stats block when it did not pass) and
 * a summary, or a JSON array of {@link ScenarioSummary} with {@code --json}; records each run under
 * {@code --out}. Scenarios that write cpusets are skipped, with the reason, where the session cannot
 * write cpusets. A session whose scheduler failed (exited, ejected) is replaced by a fresh one for the
 * next scenario; one whose scheduler never attached fails every scenario with that failure.
 */
public final class CatalogRunExecutor implements RunExecutor {

    private final GuestSessionFactory sessions;
    private final RunRecorder recorder;
    private final EngineClock clock;

    public CatalogRunExecutor(GuestSessionFactory sessions) {
        this(sessions, new JsonSummaryRecorder(), EngineClock.SYSTEM);
    }

    /**
     * @param sessions  where scenarios run
     * @param recorder  what {@code --out} writes
     * @param clock     the engine's clock (tests use a virtual one)
     */
    public CatalogRunExecutor(GuestSessionFactory sessions, RunRecorder recorder, EngineClock clock) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public int execute(RunPlan plan, PrintWriter out, PrintWriter err) throws Exception {
        List<ScenarioSummary> summaries = new ArrayList<>();
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        GuestSession session = null;
        ScenarioEngine engine = null;
        try {
            for (CatalogEntry entry : plan.entries()) {
                for (int rep = 0; rep < plan.repeat(); rep++) {
                    if (session == null) {
                        session = sessions.open(plan.target());
                        engine = new ScenarioEngine(session.agent(),
                                EngineOptions.defaults().withClock(clock).withWatch(session.watch()));
                        if (!plan.json()) {
                            out.println("running on " + session.describe());
                            out.flush();
                        }
                    }
                    // A scheduler that already failed (did not attach, died in an earlier scenario) fails
                    // the scenario with its named failure instead of letting it run without it.
                    Optional<Outcome.Failure> dead = session.watch().check();
                    ScenarioRun run = dead.isPresent() ? notRun(entry, dead.get()) : runOne(plan, entry, session, engine);
                    if (plan.outDir() != null) {
                        recorder.record(plan.outDir(), entry, rep, run, session);
                    }
                    summaries.add(ScenarioSummary.of(run, rep, session.describe()));
                    switch (run.status()) {
                        case PASSED -> passed++;
                        case SKIPPED -> skipped++;
                        default -> failed++;
                    }
                    if (!plan.json()) {
                        print(out, run, rep, plan.repeat());
                    }
                    if (run.failures().stream().anyMatch(f -> f.kind().equals(FailureKind.AGENT_FAILED.id())
                            || restartsScheduler(f.kind()))) {
                        session.close();
                        session = null;
                    }
                }
            }
        } finally {
            if (session != null) {
                session.close();
            }
        }
        if (plan.json()) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(summaries));
        } else {
            out.printf(Locale.ROOT, "%d runs: %d passed, %d failed, %d skipped%n", summaries.size(), passed, failed,
                    skipped);
        }
        out.flush();
        return failed == 0 ? 0 : 1;
    }

    /**
     * Whether a failure of this kind ends the session's scheduler, so the next scenario needs a fresh
     * VM with a fresh scheduler. A scheduler that failed to attach would only fail again: the session
     * is kept and every further scenario fails with the same failure, without a new boot.
     */
    private static boolean restartsScheduler(String kind) {
        return kind.equals(FailureKind.SCHEDULER_EXITED.id()) || kind.equals(FailureKind.SCHEDULER_EJECTED.id())
                || kind.equals("SchedulerDetachFailed");
    }

    /** A scenario that was not run because the session's scheduler had failed. */
    private static ScenarioRun notRun(CatalogEntry entry, Outcome.Failure why) {
        return new ScenarioRun(entry.name(), FailureKind.isHarnessError(why.kind()) ? Outcome.Status.ERROR
                : Outcome.Status.FAILED, List.of(why), null, Thresholds.effective(entry.scenario().checks(), null, null),
                List.of(), List.of(), List.of(), List.of(), Map.of(), List.of(), 0, 0);
    }

    /** One run; the engine belongs to the session (it numbers worker groups per agent). */
    private ScenarioRun runOne(RunPlan plan, CatalogEntry entry, GuestSession session, ScenarioEngine engine) {
        ScenarioEnv env = plan.env(session.topology());
        if (session.cpusetLimitation().isPresent() && entry.scenario().skipReason(session.topology()).isEmpty()
                && entry.scenario().usesCpusets(env)) {
            String reason = "writes cpusets, which " + session.describe() + " cannot: " + session.cpusetLimitation().get();
            return ScenarioRun.skipped(entry.name(), reason, Thresholds.effective(entry.scenario().checks(), null, null));
        }
        return engine.run(entry.scenario(), env);
    }

    private static void print(PrintWriter out, ScenarioRun run, int rep, int repeat) {
        String tag = switch (run.status()) {
            case PASSED -> "PASS ";
            case FAILED -> "FAIL ";
            case SKIPPED -> "SKIP ";
            case ERROR -> "ERROR";
        };
        String name = repeat > 1 ? run.scenario() + " #" + rep : run.scenario();
        if (run.status() == Outcome.Status.SKIPPED) {
            out.printf(Locale.ROOT, "%s %s: %s%n", tag, name, run.skipReason());
        } else {
            out.printf(Locale.ROOT, "%s %s [%.1f s]%n", tag, name, run.durationMs() / 1000.0);
        }
        if (run.status() == Outcome.Status.FAILED || run.status() == Outcome.Status.ERROR) {
            for (Outcome.Failure f : run.failures()) {
                out.println("    " + f.message());
            }
            run.statsBlock().lines().forEach(l -> out.println("    " + l));
        }
        out.flush();
    }
}

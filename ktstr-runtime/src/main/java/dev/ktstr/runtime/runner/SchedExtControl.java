package dev.ktstr.runtime.runner;

import dev.ktstr.runtime.agent.AgentException;
import dev.ktstr.runtime.agent.GuestAgent;
import dev.ktstr.runtime.checks.FailureKind;
import dev.ktstr.runtime.result.Outcome;
import dev.ktstr.runtime.scenario.engine.SchedulerWatch;
import dev.ktstr.runtime.sched.SchedulerFailure;
import dev.ktstr.runtime.sched.SchedulerSession;
import dev.ktstr.runtime.sched.SchedulerSetup;
import dev.ktstr.runtime.sched.WatchdogControl;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A sched_ext scheduler under test, through a {@link SchedulerSession} per repetition. */
final class SchedExtControl implements SchedulerControl {

    private final SchedulerSetup setup;
    private SchedulerSession session;
    private SchedulerSession.Report report;
    private boolean failed;

    SchedExtControl(SchedulerSetup setup) {
        this.setup = setup;
    }

    @Override
    public Optional<Path> binary() {
        return Optional.of(setup.binary());
    }

    @Override
    public List<String> includes() {
        return setup.includes();
    }

    @Override
    public Map<String, String> sysctls() {
        return setup.sysctls();
    }

    @Override
    public List<String> kargs() {
        return setup.kargs();
    }

    @Override
    public List<String> arguments() {
        return setup.launch().args();
    }

    @Override
    public Optional<Outcome.Failure> start(GuestAgent agent, Optional<WatchdogControl> watchdog) {
        try {
            session = SchedulerSession.start(agent, setup.launch(), watchdog);
        } catch (AgentException e) {
            failed = true;
            return Optional.of(FailureKind.AGENT_FAILED.failure("starting the scheduler: " + e.getMessage()));
        }
        Optional<SchedulerFailure> f = session.attachFailure();
        failed = f.isPresent();
        return f.map(SchedulerFailure::toOutcome);
    }

    @Override
    public SchedulerWatch watch() {
        return () -> {
            if (session == null) {
                return Optional.empty();
            }
            try {
                Optional<SchedulerFailure> f = session.check();
                if (f.isPresent()) {
                    failed = true;
                }
                return f.map(SchedulerFailure::toOutcome);
            } catch (AgentException e) {
                failed = true;
                return Optional.of(FailureKind.AGENT_FAILED.failure("checking the scheduler: " + e.getMessage()));
            }
        };
    }

    @Override
    public List<Outcome.Failure> stop() {
        List<Outcome.Failure> out = new ArrayList<>();
        if (session == null) {
            return out;
        }
        try {
            report = session.stop();
            report.failure().ifPresent(f -> {
                failed = true;
                out.add(f.toOutcome());
            });
        } catch (AgentException e) {
            failed = true;
            out.add(FailureKind.AGENT_FAILED.failure("stopping the scheduler: " + e.getMessage()));
        }
        return out;
    }

    @Override
    public boolean activeThroughout() {
        return session != null && session.attached() && !failed;
    }

    @Override
    public String evidence() {
        StringBuilder sb = new StringBuilder();
        if (report != null) {
            report.failure().ifPresent(f -> sb.append(f.evidence().strip()).append('\n'));
            for (String n : report.notes()) {
                sb.append("note: ").append(n).append('\n');
            }
            if (report.failure().isEmpty() && !report.output().isBlank()) {
                sb.append("--- scheduler output ---\n").append(report.output().strip()).append('\n');
            }
        } else if (session != null) {
            session.attachFailure().ifPresent(f -> sb.append(f.evidence().strip()).append('\n'));
        }
        return sb.toString();
    }
}

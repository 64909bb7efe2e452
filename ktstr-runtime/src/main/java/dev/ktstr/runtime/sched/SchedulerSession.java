package dev.ktstr.runtime.sched;

import dev.ktstr.runtime.agent.AgentEvent;
import dev.ktstr.runtime.agent.AgentException;
import dev.ktstr.runtime.agent.GuestAgent;
import dev.ktstr.runtime.agent.SchedulerStart;
import dev.ktstr.runtime.agent.SchedulerState;
import dev.ktstr.runtime.agent.SchedulerStop;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One scheduler under test in one guest, from start to confirmed detach (ktstr facts §4.1): start it
 * through the agent and wait (bounded) until sched_ext reports it {@code enabled} with its ops name;
 * apply the watchdog timeout; watch it for the whole scenario, with the agent's scheduler-exit and
 * sched_ext kernel-message events noticed the moment they arrive and a liveness check
 * ({@link #check()}) at each step boundary; stop it at the end and confirm sched_ext detached. Every
 * way this goes wrong becomes a {@link SchedulerFailure}; the first one seen is the one reported.
 *
 * <p>Thread-safe: the agent delivers events on its reader thread while the test thread checks.
 */
public final class SchedulerSession implements AutoCloseable {

    /** How long to wait for the kernel's "disabled" line after the scheduler process exited. */
    static final Duration KERNEL_LINE_GRACE = Duration.ofSeconds(1);
    /** How long a scheduler whose sched_ext state left {@code enabled} has to exit or be explained. */
    static final Duration STATE_GRACE = Duration.ofSeconds(3);
    /** How often {@link #awaitFailure} asks the agent when no event arrives. */
    static final Duration POLL = Duration.ofSeconds(1);

    /**
     * The end of a session.
     *
     * @param failure     the first failure seen (attach, exit, ejection, detach), if any
     * @param detached    sched_ext was back to {@code disabled} after the stop
     * @param exitCode    the scheduler's exit status
     * @param termSignal  the signal that ended it, or 0
     * @param output      everything the scheduler printed
     * @param kernelLines the sched_ext kernel messages of the run
     * @param notes       what else happened (watchdog applied how, attach time)
     * @param attachMs    milliseconds from start to {@code enabled} (-1 when it never attached)
     */
    public record Report(Optional<SchedulerFailure> failure, boolean detached, int exitCode, int termSignal,
            String output, List<String> kernelLines, List<String> notes, long attachMs) {
        public Report {
            kernelLines = List.copyOf(kernelLines);
            notes = List.copyOf(notes);
        }
    }

    private final GuestAgent agent;
    private final SchedulerLaunch launch;
    private final Object lock = new Object();
    private final List<String> kernelLines = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private AgentEvent.SchedulerExited exitEvent;
    private SchedulerFailure failure;
    private boolean attached;
    private long attachMs = -1;
    private Report report;
    private boolean listening = true;
    private int events;
    private Runnable onTrouble = () -> { };

    private SchedulerSession(GuestAgent agent, SchedulerLaunch launch) {
        this.agent = agent;
        this.launch = launch;
    }

    /**
     * Starts the scheduler and waits until it is attached or has failed to attach. Never throws for a
     * scheduler failure: see {@link #attachFailure()}.
     *
     * @param watchdog the host-side writer for {@link SchedulerLaunch.WatchdogMode#HOST_OVERRIDE}, if the
     *     engine has one
     * @throws AgentException the agent itself failed (the VM died)
     */
    public static SchedulerSession start(GuestAgent agent, SchedulerLaunch launch, Optional<WatchdogControl> watchdog)
            throws AgentException {
        SchedulerSession s = new SchedulerSession(agent, launch);
        agent.addEventListener(s::onEvent);
        s.attach(watchdog);
        return s;
    }

    private void attach(Optional<WatchdogControl> watchdog) throws AgentException {
        long t0 = System.nanoTime();
        SchedulerStart st = agent.startScheduler(launch.guestPath(), launch.args(), launch.env(), launch.opsName(),
                launch.attachTimeout());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (st.attached()) {
            synchronized (lock) {
                attached = true;
                attachMs = ms;
                notes.add("attached as '" + launch.opsName() + "' in " + ms + " ms: " + launch.commandLine());
            }
            applyWatchdog(watchdog);
            return;
        }
        String output = st.outputText();
        SchedulerState state = st.state();
        String reason;
        if (!state.running()) {
            reason = (state.termSignal() != 0 ? "killed by signal " + state.termSignal()
                    : "exited with code " + state.exitCode()) + " before attaching";
        } else if (state.state().equals("enabled") && !state.ops().equals(launch.opsName())) {
            reason = "sched_ext runs ops '" + state.ops() + "', expected '" + launch.opsName() + "'";
        } else {
            reason = "not enabled within " + launch.attachTimeout().toSeconds() + " s (sched_ext state '"
                    + state.state() + "')";
        }
        if (state.running()) {
            SchedulerStop stop = agent.stopScheduler(launch.stopTimeout());
            output = new String(stop.output(), StandardCharsets.UTF_8);
        }
        String firstLine = firstError(output);
        synchronized (lock) {
            failure = new SchedulerFailure.AttachFailed(reason + (firstLine.isEmpty() ? "" : ": " + firstLine),
                    LoaderOutput.forReport(output), LoaderOutput.verifierLog(output));
            listening = false;
            report = new Report(Optional.of(failure), true, state.exitCode(), state.termSignal(), output,
                    List.copyOf(kernelLines), List.copyOf(notes), -1);
        }
    }

    private void applyWatchdog(Optional<WatchdogControl> control) {
        if (launch.watchdog().isEmpty()) {
            return;
        }
        Duration t = launch.watchdog().get();
        String note;
        switch (launch.watchdogMode()) {
            case SCHEDULER_OPTION -> note = "watchdog timeout " + t.toMillis() + " ms through the scheduler's "
                    + "ops.timeout_ms option";
            case HOST_OVERRIDE -> {
                if (control.isEmpty()) {
                    note = "watchdog timeout " + t.toMillis() + " ms NOT applied: the scheduler has no timeout "
                            + "option and no host-side writer was given (the kernel's own timeout applies)";
                } else {
                    try {
                        note = "watchdog timeout " + t.toMillis() + " ms written by the host: "
                                + control.get().apply(t);
                    } catch (Exception e) {
                        note = "watchdog timeout " + t.toMillis() + " ms NOT applied: " + e.getMessage();
                    }
                }
            }
            default -> note = "";
        }
        synchronized (lock) {
            if (!note.isEmpty()) {
                notes.add(note);
            }
        }
    }

    private void onEvent(AgentEvent e) {
        Runnable action = null;
        synchronized (lock) {
            if (!listening) {
                return;
            }
            boolean trouble;
            if (e instanceof AgentEvent.KernelMessage k) {
                kernelLines.add(k.line());
                trouble = ScxExit.fromKernel(List.of(k.line()), launch.opsName()).isPresent();
            } else if (e instanceof AgentEvent.SchedulerExited x && exitEvent == null) {
                exitEvent = x;
                trouble = true;
            } else {
                return;
            }
            events++;
            lock.notifyAll();
            if (trouble && attached) {
                action = onTrouble;
            }
        }
        if (action != null) {
            action.run();
        }
    }

    /**
     * Registers what to do the moment the scheduler exits or sched_ext disables it (e.g. interrupt
     * the scenario thread, which then calls {@link #check()} for the named failure). It runs on the
     * agent's event thread and must not block.
     */
    public void onTrouble(Runnable action) {
        synchronized (lock) {
            onTrouble = action;
        }
    }

    /** Whether the scheduler attached. */
    public boolean attached() {
        synchronized (lock) {
            return attached;
        }
    }

    /** The attach failure, when it did not attach. */
    public Optional<SchedulerFailure> attachFailure() {
        synchronized (lock) {
            return attached ? Optional.empty() : Optional.ofNullable(failure);
        }
    }

    /** The launch this session runs. */
    public SchedulerLaunch launch() {
        return launch;
    }

    /** The sched_ext kernel messages seen so far. */
    public List<String> kernelLines() {
        synchronized (lock) {
            return List.copyOf(kernelLines);
        }
    }

    /**
     * The step-boundary liveness check: the failure seen so far, else a fresh look at the scheduler
     * process and sched_ext's state. Cheap when nothing happened (one agent round trip).
     */
    public Optional<SchedulerFailure> check() throws AgentException {
        synchronized (lock) {
            if (failure != null) {
                return Optional.of(failure);
            }
            if (!attached || report != null) {
                return Optional.empty();
            }
        }
        Optional<SchedulerFailure> f = fromEvents();
        if (f.isPresent()) {
            return f;
        }
        SchedulerState s = agent.schedulerStatus();
        if (s.running() && s.state().equals("enabled")) {
            return Optional.empty();
        }
        if (!s.running()) {
            // The exit event is on its way (the agent sends it before it answers later requests).
            waitFor(() -> exitEvent != null, KERNEL_LINE_GRACE);
            f = fromEvents();
            if (f.isPresent()) {
                return f;
            }
            return record(new SchedulerFailure.Exited(s.exitCode(), s.termSignal(), Optional.empty(), false, ""));
        }
        // Running but not enabled: sched_ext disabled it and the loader has not noticed yet (it polls
        // its exit info), or it is restarting. Give the loader time to exit and the kernel to explain.
        waitFor(() -> exitEvent != null || ScxExit.fromKernel(kernelLines, launch.opsName())
                .filter(ScxExit::isError).isPresent(), STATE_GRACE);
        f = fromEvents();
        if (f.isPresent()) {
            return f;
        }
        SchedulerState again = agent.schedulerStatus();
        if (again.running() && again.state().equals("enabled")) {
            return Optional.empty();
        }
        Optional<ScxExit> orderly = ScxExit.fromKernel(kernelLines(), launch.opsName());
        if (orderly.isPresent()) {
            return record(new SchedulerFailure.Exited(-1, 0, orderly, true, ""));
        }
        return record(new SchedulerFailure.Ejected(new ScxExit(launch.opsName(), "sched_ext state is '"
                + again.state() + "' while the scheduler process runs", "", false), kernelLines(), "", ""));
    }

    /**
     * Waits up to {@code max} for the scheduler to fail (for tests that expect an ejection), checking
     * on every event and at least once a second.
     */
    public Optional<SchedulerFailure> awaitFailure(Duration max) throws AgentException, InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            int seen;
            synchronized (lock) {
                seen = events;
            }
            Optional<SchedulerFailure> f = check();
            long left = deadline - System.nanoTime();
            if (f.isPresent() || left <= 0 || !attached()) {
                return f;
            }
            synchronized (lock) {
                if (events == seen) {
                    lock.wait(Math.max(1, Math.min(left, POLL.toNanos()) / 1_000_000));
                }
            }
        }
    }

    /**
     * Stops the scheduler (SIGINT, then SIGKILL) and confirms sched_ext detached; idempotent. The
     * report carries the first failure of the session (or a {@link SchedulerFailure.DetachFailed}).
     */
    public Report stop() throws AgentException {
        synchronized (lock) {
            if (report != null) {
                return report;
            }
        }
        Optional<SchedulerFailure> before = check();
        SchedulerStop stop = agent.stopScheduler(launch.stopTimeout());
        String output = new String(stop.output(), StandardCharsets.UTF_8);
        Optional<SchedulerFailure> f = before;
        if (f.isEmpty() && !stop.detached()) {
            SchedulerState s = agent.schedulerStatus();
            f = Optional.of(record(new SchedulerFailure.DetachFailed(s.state(), LoaderOutput.forReport(output)))
                    .orElseThrow());
        }
        if (f.isPresent() && f.get() instanceof SchedulerFailure.Ejected e) {
            // Noticed while the loader ran: the kernel lines are complete now, and the loader's final
            // report carries the debug dump.
            ScxExit exit = ScxExit.fromKernel(kernelLines(), launch.opsName()).filter(ScxExit::isError)
                    .orElse(e.exit());
            String dump = e.dump().isEmpty() ? ScxExit.debugDump(output) : e.dump();
            f = Optional.of(new SchedulerFailure.Ejected(exit, kernelLines(), dump, e.output().isEmpty()
                    ? LoaderOutput.forReport(output) : e.output()));
            synchronized (lock) {
                failure = f.get();
            }
        }
        synchronized (lock) {
            listening = false;
            report = new Report(f, stop.detached(), stop.exitCode(), stop.termSignal(), output,
                    List.copyOf(kernelLines), List.copyOf(notes), attachMs);
            return report;
        }
    }

    /** Stops the scheduler if it was not stopped; the report is then available from {@link #stop()}. */
    @Override
    public void close() throws AgentException {
        stop();
    }

    /** A failure from the events received so far, if they show one. */
    private Optional<SchedulerFailure> fromEvents() {
        AgentEvent.SchedulerExited x;
        synchronized (lock) {
            x = exitEvent;
        }
        if (x != null) {
            // The kernel logs its reason as it disables the scheduler; the loader notices only after.
            waitFor(() -> ScxExit.fromKernel(kernelLines, launch.opsName()).map(e -> !e.isError()
                    || !e.message().isEmpty()).orElse(false), KERNEL_LINE_GRACE);
            String out = new String(x.outputTail(), StandardCharsets.UTF_8);
            Optional<ScxExit> exit = ScxExit.merge(ScxExit.fromKernel(kernelLines(), launch.opsName()),
                    ScxExit.fromLoader(out));
            if (exit.isPresent() && exit.get().isError()) {
                return record(new SchedulerFailure.Ejected(exit.get(), kernelLines(), ScxExit.debugDump(out),
                        LoaderOutput.forReport(out)));
            }
            return record(new SchedulerFailure.Exited(x.exitCode(), x.termSignal(), exit, false,
                    LoaderOutput.forReport(out)));
        }
        Optional<ScxExit> k = ScxExit.fromKernel(kernelLines(), launch.opsName());
        if (k.isPresent() && k.get().isError() && k.get().message().isEmpty()) {
            // The kernel prints the message ("... failed to run for 2.996s") as a record of its own.
            waitFor(() -> ScxExit.fromKernel(kernelLines, launch.opsName()).map(e -> !e.message().isEmpty())
                    .orElse(false), KERNEL_LINE_GRACE);
            k = ScxExit.fromKernel(kernelLines(), launch.opsName());
        }
        if (k.isPresent() && k.get().isError()) {
            // Ejected while the loader still runs: its report (and dump) comes when it is stopped.
            return record(new SchedulerFailure.Ejected(k.get(), kernelLines(), "", ""));
        }
        return Optional.empty();
    }

    private Optional<SchedulerFailure> record(SchedulerFailure f) {
        synchronized (lock) {
            if (failure == null) {
                failure = f;
            }
            return Optional.of(failure);
        }
    }

    private void waitFor(java.util.function.BooleanSupplier condition, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (lock) {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The first line of output that looks like the reason a load failed, or "". */
    static String firstError(String output) {
        for (String l : output.split("\n")) {
            String s = l.strip();
            if (s.startsWith("libbpf: prog '") && s.contains("failed")) {
                return s;
            }
        }
        for (String l : output.split("\n")) {
            String s = l.strip();
            if (s.startsWith("[SCX_BUG]") || s.toLowerCase(java.util.Locale.ROOT).contains("failed to")) {
                return s;
            }
        }
        return "";
    }
}

package dev.ktstr.runtime.sched;

import dev.ktstr.runtime.agent.AgentEvent;
import dev.ktstr.runtime.agent.AgentInfo;
import dev.ktstr.runtime.agent.ExecRequest;
import dev.ktstr.runtime.agent.ExecResult;
import dev.ktstr.runtime.agent.GuestAgent;
import dev.ktstr.runtime.agent.ProcessExit;
import dev.ktstr.runtime.agent.SchedulerStart;
import dev.ktstr.runtime.agent.SchedulerState;
import dev.ktstr.runtime.agent.SchedulerStop;
import dev.ktstr.runtime.agent.WorkerGroupSpec;
import dev.ktstr.runtime.measure.WorkerReport;
import dev.ktstr.topology.CpuSet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A guest agent that only knows the scheduler requests, scripted by the test: what starting returns,
 * what status says, what stopping returns; {@link #emit} delivers events as the real agent's reader
 * thread would.
 */
final class FakeSchedulerAgent implements GuestAgent {

    volatile SchedulerStart start;
    volatile SchedulerState status;
    volatile SchedulerStop stop;
    final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<Consumer<AgentEvent>> listeners = new CopyOnWriteArrayList<>();

    static SchedulerState state(boolean running, String state, String ops) {
        return new SchedulerState(42, running, 0, 0, state, ops);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    void emit(AgentEvent e) {
        listeners.forEach(l -> l.accept(e));
    }

    /** Emits {@code e} from another thread after {@code ms}. */
    void emitLater(long ms, AgentEvent... events) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException ex) {
                return;
            }
            for (AgentEvent e : events) {
                emit(e);
            }
        });
        t.setDaemon(true);
        t.start();
    }

    @Override
    public SchedulerStart startScheduler(String path, List<String> args, List<String> env, String expectOps,
            Duration attachTimeout) {
        List<String> c = new ArrayList<>(List.of("start", path));
        c.addAll(args);
        calls.add(String.join(" ", c));
        return start;
    }

    @Override
    public SchedulerState schedulerStatus() {
        calls.add("status");
        return status;
    }

    @Override
    public SchedulerStop stopScheduler(Duration timeout) {
        calls.add("stop");
        return stop;
    }

    @Override
    public void addEventListener(Consumer<AgentEvent> listener) {
        listeners.add(listener);
    }

    @Override
    public AgentInfo info() {
        throw new UnsupportedOperationException();
    }

    @Override
    public ExecResult exec(ExecRequest request) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int spawn(String name, List<String> argv, List<String> env, String cgroup) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void signal(String name, int signal) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ProcessExit await(String name, Duration timeout) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void createCgroup(String path) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void removeCgroup(String path) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setCpuset(String path, CpuSet cpus, CpuSet mems) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int moveAllTasks(String from, String to) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void writeCgroupFile(String path, String file, String value) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Integer> spawnWorkers(WorkerGroupSpec spec) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void startWorkers(List<Integer> groupIds) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<WorkerReport> stopWorkers(List<Integer> groupIds, Duration deadline) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setAffinity(int groupId, List<CpuSet> perWorker) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long[] iterations(List<Integer> groupIds) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void moveWorkers(int groupId, String cgroup) {
        throw new UnsupportedOperationException();
    }

    @Override
    public byte[] readFile(String path, int maxBytes) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void writeFile(String path, byte[] data, boolean append) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long ping() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void poweroff(int code) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
}

package dev.ktstr.runtime.agent;

import dev.ktstr.runtime.agent.Wire.Frame;
import dev.ktstr.runtime.measure.WorkerReport;
import dev.ktstr.topology.CpuSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@link GuestAgent} over an {@link AgentConnection}: each method encodes one request of
 * {@code ktstr_wire.h}, waits for the reply and decodes it.
 */
public final class AgentClient implements GuestAgent {

    /** Margin added to request timeouts for the round trip itself (TCG guests are slow). */
    private static final Duration SLACK = Duration.ofSeconds(30);
    private static final Duration SHORT = Duration.ofSeconds(30);

    private final AgentConnection conn;
    private final AgentInfo info;

    private AgentClient(AgentConnection conn, AgentInfo info) {
        this.conn = conn;
        this.info = info;
    }

    /** Waits for the agent's HELLO on {@code conn} and returns a client. */
    public static AgentClient connect(AgentConnection conn, Duration helloTimeout) throws AgentException {
        Frame hello = conn.awaitHello(helloTimeout);
        WireReader r = new WireReader(hello.payload());
        AgentInfo info = new AgentInfo((int) r.u32(), r.str(), (int) r.u32(), r.u64(), r.str(), r.str());
        return new AgentClient(conn, info);
    }

    public AgentConnection connection() {
        return conn;
    }

    @Override
    public AgentInfo info() {
        return info;
    }

    private WireReader call(int type, WireWriter w, Duration timeout) throws AgentException {
        Frame f = conn.request(type, w.toByteArray(), timeout);
        return new WireReader(f.payload());
    }

    private static WireWriter w() {
        return new WireWriter();
    }

    @Override
    public ExecResult exec(ExecRequest q) throws AgentException {
        WireReader r = call(Wire.EXEC, w().strs(q.argv()).strs(q.env()).str(q.cgroup())
                .u32(q.timeout().toMillis()).bytes(q.stdin()), q.timeout().plus(SLACK));
        return new ExecResult(r.i32(), r.i32(), r.u8() != 0, r.bytes(), r.bytes(), r.u64());
    }

    @Override
    public int spawn(String name, List<String> argv, List<String> env, String cgroup) throws AgentException {
        return call(Wire.SPAWN, w().str(name).strs(argv).strs(env).str(cgroup).str(""), SHORT).i32();
    }

    @Override
    public void signal(String name, int signal) throws AgentException {
        call(Wire.SIGNAL, w().str(name).i32(signal), SHORT);
    }

    @Override
    public ProcessExit await(String name, Duration timeout) throws AgentException {
        WireReader r = call(Wire.WAIT, w().str(name).u32(timeout.toMillis()), timeout.plus(SLACK));
        return new ProcessExit(r.u8() != 0, r.i32(), r.i32(), r.bytes());
    }

    /**
     * Runs an interactive program with {@code tty} as its controlling terminal and waits, without a
     * timeout, until it exits. Returns {exit code, terminating signal}.
     */
    public int[] shell(String tty, List<String> argv, List<String> env) throws AgentException {
        WireReader r = call(Wire.SHELL, w().str(tty).strs(argv).strs(env), Duration.ofDays(365));
        return new int[] {r.i32(), r.i32()};
    }

    @Override
    public void createCgroup(String path) throws AgentException {
        call(Wire.CG_CREATE, w().str(path), SHORT);
    }

    @Override
    public void removeCgroup(String path) throws AgentException {
        call(Wire.CG_REMOVE, w().str(path), SHORT);
    }

    @Override
    public void setCpuset(String path, CpuSet cpus, CpuSet mems) throws AgentException {
        call(Wire.CG_SET_CPUSET, w().str(path).str(cpus.render()).str(mems.render()), SHORT);
    }

    @Override
    public int moveAllTasks(String from, String to) throws AgentException {
        return (int) call(Wire.CG_MOVE_ALL, w().str(from).str(to), SHORT).u32();
    }

    @Override
    public void writeCgroupFile(String path, String file, String value) throws AgentException {
        call(Wire.CG_WRITE, w().str(path).str(file).str(value), SHORT);
    }

    @Override
    public List<Integer> spawnWorkers(WorkerGroupSpec spec) throws AgentException {
        Frame f = conn.request(Wire.W_SPAWN, WorkWire.encode(spec), SHORT);
        WireReader r = new WireReader(f.payload());
        int n = r.u32AsInt();
        List<Integer> pids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            pids.add(r.i32());
        }
        return pids;
    }

    private static WireWriter groups(List<Integer> ids) {
        WireWriter w = w().u32(ids.size());
        for (int id : ids) {
            w.u32(id);
        }
        return w;
    }

    @Override
    public void startWorkers(List<Integer> groupIds) throws AgentException {
        call(Wire.W_START, groups(groupIds), SHORT);
    }

    @Override
    public List<WorkerReport> stopWorkers(List<Integer> groupIds, Duration deadline) throws AgentException {
        WireReader r = call(Wire.W_STOP, groups(groupIds).u32(deadline.toMillis()), deadline.plus(SLACK));
        return WorkWire.decodeReports(r);
    }

    @Override
    public void setAffinity(int groupId, List<CpuSet> perWorker) throws AgentException {
        call(Wire.W_AFFINITY, w().u32(groupId).strs(perWorker.stream().map(CpuSet::render).toList()), SHORT);
    }

    @Override
    public long[] iterations(List<Integer> groupIds) throws AgentException {
        return call(Wire.W_ITERS, groups(groupIds), SHORT).u64s();
    }

    @Override
    public void moveWorkers(int groupId, String cgroup) throws AgentException {
        call(Wire.W_MOVE, w().u32(groupId).str(cgroup), SHORT);
    }

    @Override
    public SchedulerStart startScheduler(String path, List<String> args, List<String> env, String expectOps,
            Duration attachTimeout) throws AgentException {
        WireReader r = call(Wire.SCHED_START, w().str(path).strs(args).strs(env).str(expectOps)
                .u32(attachTimeout.toMillis()), attachTimeout.plus(SLACK));
        int pid = r.i32();
        boolean attached = r.u8() != 0;
        boolean running = r.u8() != 0;
        int code = r.i32();
        int sig = r.i32();
        String state = r.str();
        String ops = r.str();
        byte[] out = r.bytes();
        return new SchedulerStart(attached, new SchedulerState(pid, running, code, sig, state, ops), out);
    }

    @Override
    public SchedulerState schedulerStatus() throws AgentException {
        WireReader r = call(Wire.SCHED_STATUS, w(), SHORT);
        return new SchedulerState(r.i32(), r.u8() != 0, r.i32(), r.i32(), r.str(), r.str());
    }

    @Override
    public SchedulerStop stopScheduler(Duration timeout) throws AgentException {
        WireReader r = call(Wire.SCHED_STOP, w().u32(timeout.toMillis()), timeout.plus(SLACK));
        return new SchedulerStop(r.i32(), r.i32(), r.u8() != 0, r.bytes());
    }

    @Override
    public byte[] readFile(String path, int maxBytes) throws AgentException {
        return call(Wire.READ_FILE, w().str(path).u32(maxBytes), Duration.ofMinutes(2)).bytes();
    }

    @Override
    public void writeFile(String path, byte[] data, boolean append) throws AgentException {
        call(Wire.WRITE_FILE, w().str(path).bytes(data).u8(append ? 1 : 0), SHORT);
    }

    @Override
    public long ping() throws AgentException {
        return call(Wire.PING, w(), SHORT).u64();
    }

    /** Kernel release, CPUs, command line and boot time as the guest sees them. */
    public SysInfo sysinfo() throws AgentException {
        WireReader r = call(Wire.SYSINFO, w(), SHORT);
        return new SysInfo(r.str(), (int) r.u32(), (int) r.u32(), r.str(), r.u64());
    }

    /** What {@link #sysinfo()} returns. {@code hz} is 0 when unknown. */
    public record SysInfo(String release, int cpus, int hz, String cmdline, long bootNs) {}

    @Override
    public void poweroff(int code) throws AgentException {
        conn.send(Wire.POWEROFF, w().i32(code).toByteArray());
    }

    @Override
    public void addEventListener(Consumer<AgentEvent> listener) {
        conn.addListener(f -> {
            AgentEvent e = decodeEvent(f);
            if (e != null) {
                listener.accept(e);
            }
        });
    }

    static AgentEvent decodeEvent(Frame f) {
        WireReader r = new WireReader(f.payload());
        return switch (f.type()) {
            case Wire.EV_PROC_EXIT -> new AgentEvent.ProcessExited(r.str(), r.i32(), r.i32(), r.i32());
            case Wire.EV_SCHED_EXIT -> new AgentEvent.SchedulerExited(r.i32(), r.i32(), r.i32(), r.str(), r.bytes());
            case Wire.EV_KMSG -> new AgentEvent.KernelMessage(r.str());
            case Wire.EV_LOG -> new AgentEvent.Log(r.u8(), r.str());
            case Wire.EV_CRASH -> new AgentEvent.Crash(r.str());
            default -> null;
        };
    }

    @Override
    public void close() {
        conn.close();
    }
}

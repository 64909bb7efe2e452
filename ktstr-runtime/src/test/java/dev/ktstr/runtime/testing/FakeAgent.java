package dev.ktstr.runtime.testing;

import dev.ktstr.runtime.agent.AgentEvent;
import dev.ktstr.runtime.agent.AgentException;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * A {@link GuestAgent} in memory: records every call as a line ("createCgroup cg_0"), keeps the
 * cgroups and worker groups it was asked to create (and refuses what a real agent would refuse:
 * duplicate cgroups, missing parents, unknown groups), and answers stops with synthetic reports
 * from {@link #reports}. Any call can be made to fail with {@link #failOn}.
 */
public final class FakeAgent implements GuestAgent {

    /** The calls, in order. */
    public final List<String> calls = new ArrayList<>();
    /** Every spec spawned, by group id. */
    public final Map<Integer, WorkerGroupSpec> specs = new LinkedHashMap<>();
    public final Set<String> cgroups = new LinkedHashSet<>();
    public final Map<String, String> cpusets = new HashMap<>();
    public final Set<Integer> running = new LinkedHashSet<>();
    public final Set<Integer> started = new LinkedHashSet<>();
    public final Map<String, ProcessExit> payloadExits = new HashMap<>();
    public final Set<String> payloads = new LinkedHashSet<>();

    /** Makes the report of worker {@code index} of a group; default a healthy worker on the group's first CPU. */
    public BiFunction<WorkerGroupSpec, Integer, WorkerReport> reports = (spec, i) -> ReportBuilder.worker(i)
            .group(spec.groupId()).pid(1000 * spec.groupId() + i).build();

    private final Map<String, AgentException> failures = new HashMap<>();
    private int nextPid = 500;
    private long iterationTick;
    private boolean closed;

    /** The next call whose line starts with {@code prefix} throws {@code e} (once). */
    public FakeAgent failOn(String prefix, AgentException e) {
        failures.put(prefix, e);
        return this;
    }

    private void call(String line) throws AgentException {
        calls.add(line);
        for (Map.Entry<String, AgentException> f : new ArrayList<>(failures.entrySet())) {
            if (line.startsWith(f.getKey())) {
                failures.remove(f.getKey());
                throw f.getValue();
            }
        }
    }

    private static AgentException remote(String msg) {
        return new AgentException(AgentException.Kind.REMOTE_ERROR, 2, msg, null);
    }

    /** Lines of calls that start with {@code prefix}. */
    public List<String> callsStartingWith(String prefix) {
        return calls.stream().filter(c -> c.startsWith(prefix)).toList();
    }

    @Override
    public AgentInfo info() {
        return new AgentInfo(1, "fake", 4, 0, "vm", "");
    }

    @Override
    public ExecResult exec(ExecRequest request) throws AgentException {
        call("exec " + String.join(" ", request.argv()));
        return new ExecResult(0, 0, false, new byte[0], new byte[0], 0);
    }

    @Override
    public int spawn(String name, List<String> argv, List<String> env, String cgroup) throws AgentException {
        call("spawn " + name + " " + String.join(" ", argv) + " in '" + cgroup + "'");
        if (!cgroup.isEmpty() && !cgroups.contains(cgroup)) {
            throw remote("no cgroup " + cgroup);
        }
        payloads.add(name);
        return nextPid++;
    }

    @Override
    public void signal(String name, int signal) throws AgentException {
        call("signal " + name + " " + signal);
        if (!payloads.contains(name)) {
            throw remote("no payload " + name);
        }
        payloadExits.putIfAbsent(name, new ProcessExit(true, 0, signal, new byte[0]));
    }

    @Override
    public ProcessExit await(String name, Duration timeout) throws AgentException {
        call("await " + name);
        if (!payloads.contains(name)) {
            throw remote("no payload " + name);
        }
        ProcessExit e = payloadExits.getOrDefault(name, new ProcessExit(true, 0, 0, "done\n".getBytes()));
        if (e.exited()) {
            payloads.remove(name);
        }
        return e;
    }

    @Override
    public void createCgroup(String path) throws AgentException {
        call("createCgroup " + path);
        if (!cgroups.add(path)) {
            throw remote("cgroup " + path + " exists");
        }
        int slash = path.lastIndexOf('/');
        if (slash > 0 && !cgroups.contains(path.substring(0, slash))) {
            cgroups.remove(path);
            throw remote("no parent for " + path);
        }
    }

    @Override
    public void removeCgroup(String path) throws AgentException {
        call("removeCgroup " + path);
        if (!cgroups.remove(path)) {
            throw remote("no cgroup " + path);
        }
        for (WorkerGroupSpec s : specs.values()) {
            if (running.contains(s.groupId()) && s.cgroup().equals(path)) {
                throw remote("cgroup " + path + " still has running workers of group " + s.groupId());
            }
        }
    }

    @Override
    public void setCpuset(String path, CpuSet cpus, CpuSet mems) throws AgentException {
        call("setCpuset " + path + " " + cpus + " mems=" + mems);
        if (!cgroups.contains(path)) {
            throw remote("no cgroup " + path);
        }
        cpusets.put(path, cpus.render());
    }

    @Override
    public int moveAllTasks(String from, String to) throws AgentException {
        call("moveAllTasks " + from + " " + to);
        int moved = 0;
        for (Map.Entry<Integer, WorkerGroupSpec> e : new ArrayList<>(specs.entrySet())) {
            WorkerGroupSpec s = e.getValue();
            if (running.contains(s.groupId()) && s.cgroup().equals(from)) {
                specs.put(e.getKey(), new WorkerGroupSpec(s.groupId(), to, s.type(), s.params(), s.phases(),
                        s.customArgv(), s.count(), s.policy(), s.priority(), s.nice(), s.affinity(), s.memPolicy(),
                        s.memNodes(), s.mpolFlags()));
                moved += s.count();
            }
        }
        return moved;
    }

    @Override
    public void writeCgroupFile(String path, String file, String value) throws AgentException {
        call("writeCgroupFile " + path + " " + file + " " + value);
    }

    @Override
    public List<Integer> spawnWorkers(WorkerGroupSpec spec) throws AgentException {
        call("spawnWorkers g" + spec.groupId() + " '" + spec.cgroup() + "' type=" + spec.type() + " count="
                + spec.count() + " policy=" + spec.policy() + " affinity=" + spec.affinity());
        if (!spec.cgroup().isEmpty() && !cgroups.contains(spec.cgroup())) {
            throw remote("no cgroup " + spec.cgroup());
        }
        if (specs.containsKey(spec.groupId())) {
            throw remote("duplicate group id " + spec.groupId());
        }
        specs.put(spec.groupId(), spec);
        running.add(spec.groupId());
        List<Integer> pids = new ArrayList<>();
        for (int i = 0; i < spec.count(); i++) {
            pids.add(1000 * spec.groupId() + i);
        }
        return pids;
    }

    @Override
    public void startWorkers(List<Integer> groupIds) throws AgentException {
        call("startWorkers " + groupIds);
        for (int id : groupIds) {
            if (!running.contains(id)) {
                throw remote("unknown group " + id);
            }
            started.add(id);
        }
    }

    @Override
    public List<WorkerReport> stopWorkers(List<Integer> groupIds, Duration deadline) throws AgentException {
        call("stopWorkers " + groupIds);
        List<WorkerReport> out = new ArrayList<>();
        for (int id : groupIds) {
            if (!running.remove(id)) {
                throw remote("unknown group " + id);
            }
            WorkerGroupSpec spec = specs.get(id);
            for (int i = 0; i < spec.count(); i++) {
                WorkerReport r = reports.apply(spec, i);
                if (r != null) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    @Override
    public void setAffinity(int groupId, List<CpuSet> perWorker) throws AgentException {
        call("setAffinity g" + groupId + " " + perWorker);
        if (!running.contains(groupId)) {
            throw remote("unknown group " + groupId);
        }
    }

    @Override
    public long[] iterations(List<Integer> groupIds) throws AgentException {
        call("iterations " + groupIds);
        List<Long> v = new ArrayList<>();
        iterationTick++;
        for (int id : groupIds) {
            for (int i = 0; i < specs.get(id).count(); i++) {
                v.add(iterationTick * 10);
            }
        }
        return v.stream().mapToLong(Long::longValue).toArray();
    }

    @Override
    public void moveWorkers(int groupId, String cgroup) throws AgentException {
        call("moveWorkers g" + groupId + " " + cgroup);
    }

    @Override
    public SchedulerStart startScheduler(String path, List<String> args, List<String> env, String expectOps,
            Duration attachTimeout) throws AgentException {
        call("startScheduler " + path);
        return new SchedulerStart(true, new SchedulerState(1, true, 0, 0, "enabled", expectOps), new byte[0]);
    }

    @Override
    public SchedulerState schedulerStatus() throws AgentException {
        call("schedulerStatus");
        return new SchedulerState(1, true, 0, 0, "enabled", "fake");
    }

    @Override
    public SchedulerStop stopScheduler(Duration timeout) throws AgentException {
        call("stopScheduler");
        return new SchedulerStop(0, 0, true, new byte[0]);
    }

    @Override
    public byte[] readFile(String path, int maxBytes) throws AgentException {
        call("readFile " + path);
        return new byte[0];
    }

    @Override
    public void writeFile(String path, byte[] data, boolean append) throws AgentException {
        call("writeFile " + path);
    }

    @Override
    public long ping() throws AgentException {
        call("ping");
        return 0;
    }

    @Override
    public void poweroff(int code) throws AgentException {
        call("poweroff " + code);
    }

    @Override
    public void addEventListener(Consumer<AgentEvent> listener) {
        calls.add("addEventListener");
    }

    @Override
    public void close() {
        closed = true;
    }

    public boolean closed() {
        return closed;
    }
}

package dev.ktstr.runtime.agent;

import dev.ktstr.topology.CpuSet;
import java.time.Duration;
import java.util.List;
import dev.ktstr.runtime.measure.WorkerReport;
import java.util.function.Consumer;

/**
 * The agent running in the guest (or as a child process on bare metal). Each method is one request
 * and blocks until its reply; requests may be issued from several threads. Cgroup paths are relative
 * to the agent's cgroup root ({@code /sys/fs/cgroup/ktstr} in a VM, {@code /sys/fs/cgroup/ktstr-<pid>}
 * on the host).
 */
public interface GuestAgent extends AutoCloseable {

    /** What the agent said when it started. */
    AgentInfo info();

    /** Runs a program to completion and returns its exit status and output. */
    ExecResult exec(ExecRequest request) throws AgentException;

    /** Starts a named background process (a payload); its exit arrives as an event and via {@link #await}. */
    int spawn(String name, List<String> argv, List<String> env, String cgroup) throws AgentException;

    /** Sends a signal to a named background process. */
    void signal(String name, int signal) throws AgentException;

    /** Waits for a named background process to exit. */
    ProcessExit await(String name, Duration timeout) throws AgentException;

    void createCgroup(String path) throws AgentException;

    /** Drains the cgroup's tasks to the root, then removes it. */
    void removeCgroup(String path) throws AgentException;

    /** Writes {@code cpuset.cpus} and {@code cpuset.mems}; an empty set clears the file. */
    void setCpuset(String path, CpuSet cpus, CpuSet mems) throws AgentException;

    /** Moves every task of {@code from} into {@code to}; returns how many moved. */
    int moveAllTasks(String from, String to) throws AgentException;

    /** Writes one cgroup interface file, e.g. {@code cpu.weight}. */
    void writeCgroupFile(String path, String file, String value) throws AgentException;

    /** Forks a group of workers, placed in their cgroup and blocked before their loop; returns their pids. */
    List<Integer> spawnWorkers(WorkerGroupSpec spec) throws AgentException;

    /** Releases the groups' workers into their loops. */
    void startWorkers(List<Integer> groupIds) throws AgentException;

    /** Stops the groups' workers and collects one report per worker (sentinel reports for dead ones). */
    List<WorkerReport> stopWorkers(List<Integer> groupIds, Duration deadline) throws AgentException;

    /** Sets each worker's CPU affinity; {@code perWorker} has one entry per worker (empty set = all CPUs). */
    void setAffinity(int groupId, List<CpuSet> perWorker) throws AgentException;

    /** Current iteration counters of the groups' workers, in group then worker order. */
    long[] iterations(List<Integer> groupIds) throws AgentException;

    /** Moves a group's workers into another cgroup. */
    void moveWorkers(int groupId, String cgroup) throws AgentException;

    /**
     * Starts the scheduler and waits (at most {@code attachTimeout}) until sched_ext reports it enabled
     * with ops {@code expectOps} ("" = any). Returns whether it attached, its state, and its output so far
     * (the loader's and verifier's messages when it did not attach).
     */
    SchedulerStart startScheduler(String path, List<String> args, List<String> env, String expectOps,
            Duration attachTimeout) throws AgentException;

    SchedulerState schedulerStatus() throws AgentException;

    /** Stops the scheduler (SIGINT, then SIGKILL after the timeout) and confirms sched_ext detached. */
    SchedulerStop stopScheduler(Duration timeout) throws AgentException;

    byte[] readFile(String path, int maxBytes) throws AgentException;

    void writeFile(String path, byte[] data, boolean append) throws AgentException;

    /** Round trip to the agent; returns the guest's CLOCK_MONOTONIC in ns. */
    long ping() throws AgentException;

    /** Asks the agent to power the VM off (or exit, on bare metal). Does not wait for a reply. */
    void poweroff(int code) throws AgentException;

    /** Unsolicited events (process exits, scheduler exit, kernel sched_ext messages, logs). */
    void addEventListener(Consumer<AgentEvent> listener);

    @Override
    void close();
}

package dev.ktstr.runtime.scenario;

import dev.ktstr.topology.CpuSet;
import dev.ktstr.topology.Topology;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The guest's cgroups as a scenario sees them: which exist, who owns them (the {@link Backdrop} or
 * a step), their cpusets, and the named payloads running. The validator walks a scenario through
 * it without a guest; the engine keeps one beside the real agent, so both agree on what an op may
 * do. Violations are {@link IllegalArgumentException}s with a one-line reason.
 */
public final class CgroupModel {

    /** The owner id of Backdrop state. */
    public static final int BACKDROP = -1;

    /** One cgroup: its path, owner ({@link #BACKDROP} or a step index) and own cpuset ({@code null} = none). */
    public record Entry(String name, int owner, CpuSet cpuset) {}

    private final Topology topology;
    private final Map<String, Entry> cgroups = new LinkedHashMap<>();
    private final Map<String, Integer> payloads = new LinkedHashMap<>();

    public CgroupModel(Topology topology) {
        this.topology = Objects.requireNonNull(topology, "topology");
    }

    public Topology topology() {
        return topology;
    }

    public boolean exists(String name) {
        return cgroups.containsKey(name);
    }

    /** The cgroup, or an error naming the known ones. */
    public Entry require(String name) {
        Entry e = cgroups.get(name);
        if (e == null) {
            throw new IllegalArgumentException("unknown cgroup '" + name + "'" + DidYouMean.hint(name, cgroups.keySet())
                    + (cgroups.isEmpty() ? " (no cgroups exist at this point)" : " (existing: "
                            + String.join(", ", cgroups.keySet()) + ")"));
        }
        return e;
    }

    /** Creates a cgroup; its parent (for a nested path) must exist and the name must be free. */
    public void add(String name, int owner) {
        CgroupDef.checkName(name);
        if (cgroups.containsKey(name)) {
            throw new IllegalArgumentException("cgroup '" + name + "' already exists");
        }
        int slash = name.lastIndexOf('/');
        if (slash > 0) {
            String parent = name.substring(0, slash);
            if (!cgroups.containsKey(parent)) {
                throw new IllegalArgumentException("cgroup '" + name + "' needs its parent '" + parent
                        + "' to exist first (add it with Op.addCgroup or an earlier CgroupDef)");
            }
        }
        cgroups.put(name, new Entry(name, owner, null));
    }

    /** Removes a cgroup that has no child cgroups. */
    public void remove(String name) {
        require(name);
        for (String other : cgroups.keySet()) {
            if (other.startsWith(name + "/")) {
                throw new IllegalArgumentException("cannot remove cgroup '" + name + "': it still has child '" + other + "'");
            }
        }
        cgroups.remove(name);
    }

    /** Sets ({@code cpus != null}) or clears a cgroup's own cpuset. */
    public void setCpuset(String name, CpuSet cpus) {
        Entry e = require(name);
        cgroups.put(name, new Entry(name, e.owner(), cpus));
    }

    /**
     * The CPUs a cgroup's tasks may run on: its own cpuset intersected with its ancestors' (the
     * kernel falls back to the parent's when that is empty); {@code null} when neither it nor an
     * ancestor has one. {@code ""} (the agent's root) is {@code null}.
     */
    public CpuSet effectiveCpuset(String name) {
        if (name.isEmpty()) {
            return null;
        }
        Entry e = require(name);
        int slash = name.lastIndexOf('/');
        CpuSet parent = slash > 0 ? effectiveCpuset(name.substring(0, slash)) : null;
        if (e.cpuset() == null) {
            return parent;
        }
        if (parent == null) {
            return e.cpuset();
        }
        CpuSet both = e.cpuset().intersect(parent);
        return both.isEmpty() ? parent : both;
    }

    /** Cgroups owned by {@code owner}, children before parents (the order to remove them in). */
    public List<String> ownedBy(int owner) {
        List<String> out = new ArrayList<>();
        for (Entry e : cgroups.values()) {
            if (e.owner() == owner) {
                out.add(e.name());
            }
        }
        Collections.reverse(out);
        return out;
    }

    /** Every cgroup, children before parents. */
    public List<String> allReversed() {
        List<String> out = new ArrayList<>(cgroups.keySet());
        Collections.reverse(out);
        return out;
    }

    /** Checks a MoveAllTasks: both exist, and Backdrop tasks never move into a step-local cgroup. */
    public void checkMove(String from, String to) {
        Entry f = require(from);
        Entry t = require(to);
        if (f.owner() == BACKDROP && t.owner() != BACKDROP) {
            throw new IllegalArgumentException("cannot move the tasks of Backdrop cgroup '" + from
                    + "' into step-local cgroup '" + to + "': the step's teardown would strand them");
        }
    }

    /** Registers a running payload under a unique name. */
    public void addPayload(String name, int owner) {
        if (payloads.containsKey(name)) {
            throw new IllegalArgumentException("payload '" + name + "' is already running");
        }
        payloads.put(name, owner);
    }

    /** Forgets a payload that was waited for or killed; it must be running. */
    public void removePayload(String name) {
        if (payloads.remove(name) == null) {
            throw new IllegalArgumentException("no running payload '" + name + "'"
                    + DidYouMean.hint(name, payloads.keySet()));
        }
    }

    /** Payloads owned by {@code owner}. */
    public List<String> payloadsOwnedBy(int owner) {
        return payloads.entrySet().stream().filter(e -> e.getValue() == owner).map(Map.Entry::getKey).toList();
    }
}

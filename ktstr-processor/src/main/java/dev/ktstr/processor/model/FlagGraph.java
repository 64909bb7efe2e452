package dev.ktstr.processor.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Questions about the {@code requires} graph of a scheduler's flags: is there a cycle, and what does
 * a flag need transitively. Flags are identified by name; unknown names are ignored here because the
 * validator reports them before it asks.
 */
public final class FlagGraph {

    private final Map<String, FlagDecl> byName = new HashMap<>();
    private final List<FlagDecl> flags;

    public FlagGraph(List<FlagDecl> flags) {
        this.flags = List.copyOf(flags);
        for (FlagDecl f : flags) {
            byName.putIfAbsent(f.name(), f);
        }
    }

    /**
     * The first cycle found, walking flags in declaration order and requirements in their order, as the
     * path {@code [a, b, a]} (first and last equal); empty when the graph is acyclic.
     */
    public Optional<List<String>> firstCycle() {
        Map<String, Integer> state = new HashMap<>(); // absent = unvisited, 1 = on the path, 2 = done
        for (FlagDecl f : flags) {
            List<String> path = new ArrayList<>();
            Optional<List<String>> c = visit(f.name(), state, path);
            if (c.isPresent()) {
                return c;
            }
        }
        return Optional.empty();
    }

    private Optional<List<String>> visit(String name, Map<String, Integer> state, List<String> path) {
        Integer s = state.get(name);
        if (s != null && s == 2) {
            return Optional.empty();
        }
        if (s != null) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
            cycle.add(name);
            return Optional.of(List.copyOf(cycle));
        }
        FlagDecl f = byName.get(name);
        if (f == null) {
            return Optional.empty();
        }
        state.put(name, 1);
        path.add(name);
        for (String r : f.requires()) {
            Optional<List<String>> c = visit(r, state, path);
            if (c.isPresent()) {
                return c;
            }
        }
        path.remove(path.size() - 1);
        state.put(name, 2);
        return Optional.empty();
    }

    /** Everything {@code name} needs, directly or through other flags, in discovery order; itself excluded. */
    public Set<String> transitiveRequirements(String name) {
        Set<String> out = new LinkedHashSet<>();
        List<String> work = new ArrayList<>(List.of(name));
        while (!work.isEmpty()) {
            FlagDecl f = byName.get(work.remove(0));
            if (f == null) {
                continue;
            }
            for (String r : f.requires()) {
                if (!r.equals(name) && out.add(r)) {
                    work.add(r);
                }
            }
        }
        return out;
    }
}

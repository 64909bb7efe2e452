package dev.ktstr.runtime.junit;

import dev.ktstr.topology.Topology;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.WeakHashMap;

/**
 * All {@link VmEnvironment} providers a class loader sees, asked as one: the first reason given, in
 * providers' class-name order, wins; with no provider, {@link NoVmEngine} answers. Loaded once per
 * class loader.
 */
public final class VmEnvironments implements VmEnvironment {

    private static final Map<ClassLoader, VmEnvironments> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

    private final List<VmEnvironment> gates;

    public VmEnvironments(List<VmEnvironment> gates) {
        List<VmEnvironment> sorted = new ArrayList<>(gates);
        sorted.sort(Comparator.comparing(g -> g.getClass().getName()));
        this.gates = sorted.isEmpty() ? List.of(new NoVmEngine()) : List.copyOf(sorted);
    }

    public static VmEnvironments of(ClassLoader loader) {
        synchronized (CACHE) {
            return CACHE.computeIfAbsent(loader, l -> {
                List<VmEnvironment> found = new ArrayList<>();
                ServiceLoader.load(VmEnvironment.class, l).forEach(found::add);
                return new VmEnvironments(found);
            });
        }
    }

    /** The providers in the order they are asked. */
    public List<VmEnvironment> gates() {
        return gates;
    }

    @Override
    public Optional<String> unavailableReason() {
        for (VmEnvironment g : gates) {
            Optional<String> r = g.unavailableReason();
            if (r.isPresent()) {
                return r;
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> cannotRun(Topology topology, long memoryMb) {
        for (VmEnvironment g : gates) {
            Optional<String> r = g.cannotRun(topology, memoryMb);
            if (r.isPresent()) {
                return r;
            }
        }
        return Optional.empty();
    }
}

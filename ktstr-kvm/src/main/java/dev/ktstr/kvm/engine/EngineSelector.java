package dev.ktstr.kvm.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Picks the VM engine: the own KVM VMM where hardware virtualisation exists, else QEMU with KVM, else
 * QEMU TCG; or what {@code -Dktstr.engine} / {@code KTSTR_ENGINE} names ({@code kvm}, {@code qemu}
 * (KVM if possible, else TCG), {@code qemu-kvm}, {@code qemu-tcg}). Engines are found through
 * {@link ServiceLoader}. Every decision comes with the one line that says why.
 */
public final class EngineSelector {

    /** The outcome: an engine and why, or none and why. */
    public record Choice(VmEngine engine, String reason) {
        public boolean found() {
            return engine != null;
        }
    }

    private final Map<String, VmEngine> engines;

    public EngineSelector(List<VmEngine> engines) {
        this.engines = new LinkedHashMap<>();
        for (VmEngine e : engines) {
            this.engines.putIfAbsent(e.id(), e);
        }
    }

    /** All engines on the class path. */
    public static EngineSelector fromServiceLoader() {
        List<VmEngine> found = new ArrayList<>();
        ServiceLoader.load(VmEngine.class, EngineSelector.class.getClassLoader()).forEach(found::add);
        return new EngineSelector(found);
    }

    /** The override from {@code -Dktstr.engine} or {@code KTSTR_ENGINE}; empty when unset. */
    public static String requested() {
        String p = System.getProperty("ktstr.engine", "");
        if (p.isBlank()) {
            p = System.getenv().getOrDefault("KTSTR_ENGINE", "");
        }
        return p.trim().toLowerCase(Locale.ROOT);
    }

    public Choice choose() {
        return choose(requested());
    }

    public Choice choose(String request) {
        if (!request.isEmpty()) {
            return chooseRequested(request);
        }
        List<String> why = new ArrayList<>();
        for (String id : List.of("kvm", "qemu-kvm", "qemu-tcg")) {
            VmEngine e = engines.get(id);
            if (e == null) {
                continue;
            }
            EngineAvailability a = e.availability();
            if (a.usable()) {
                String prefix = why.isEmpty() ? "" : String.join("; ", why) + "; ";
                return new Choice(e, prefix + "using " + id + " (" + a.reason() + ")");
            }
            why.add(id + ": " + a.reason());
        }
        return new Choice(null, why.isEmpty() ? "no VM engine on the class path" : "no usable VM engine: "
                + String.join("; ", why));
    }

    private Choice chooseRequested(String request) {
        List<String> ids = switch (request) {
            case "qemu" -> List.of("qemu-kvm", "qemu-tcg");
            case "kvm", "qemu-kvm", "qemu-tcg" -> List.of(request);
            default -> List.of();
        };
        if (ids.isEmpty()) {
            return new Choice(null, "unknown engine '" + request + "' (ktstr.engine / KTSTR_ENGINE): expected kvm, "
                    + "qemu, qemu-kvm or qemu-tcg");
        }
        List<String> why = new ArrayList<>();
        for (String id : ids) {
            VmEngine e = engines.get(id);
            if (e == null) {
                why.add(id + ": not on the class path");
                continue;
            }
            EngineAvailability a = e.availability();
            if (a.usable()) {
                return new Choice(e, "using " + id + " as requested (" + a.reason() + ")");
            }
            why.add(id + ": " + a.reason());
        }
        return new Choice(null, "requested engine '" + request + "' is not usable: " + String.join("; ", why));
    }
}

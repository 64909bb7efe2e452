package dev.ktstr.kvm.vmm;

import dev.ktstr.kvm.engine.EngineAvailability;
import dev.ktstr.kvm.vmm.kvm.Kvm;
import dev.ktstr.kvm.vmm.kvm.KvmException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What kind of KVM this host offers. Hardware virtualisation shows as {@code vmx} (Intel VT-x) or
 * {@code svm} (AMD-V) in /proc/cpuinfo; PVM, a page-table-based software backend, shows as the
 * {@code kvm_pvm} module and runs only small hand-written guests, not stock kernels.
 */
public final class KvmHost {

    public static final Path PVM_MODULE = Path.of("/sys/module/kvm_pvm");
    public static final Path CPUINFO = Path.of("/proc/cpuinfo");

    /** The host's KVM flavour. */
    public enum Flavour {
        NONE,
        PVM,
        HARDWARE,
        UNKNOWN
    }

    private KvmHost() {}

    public static Flavour flavour() {
        return flavour(Path.of(Kvm.DEVICE), PVM_MODULE, CPUINFO);
    }

    static Flavour flavour(Path device, Path pvmModule, Path cpuinfo) {
        if (!Files.exists(device)) {
            return Flavour.NONE;
        }
        if (Files.exists(pvmModule)) {
            return Flavour.PVM;
        }
        String flags = cpuFlags(cpuinfo);
        return flags.contains(" vmx ") || flags.contains(" svm ") ? Flavour.HARDWARE : Flavour.UNKNOWN;
    }

    /** Whether stock kernels can boot through the own VMM here, and why (not). */
    public static EngineAvailability availability() {
        return switch (flavour()) {
            case NONE -> EngineAvailability.unusable("no /dev/kvm");
            case PVM -> EngineAvailability.unusable("/dev/kvm is kvm_pvm: stock kernels cannot run under it");
            case UNKNOWN -> EngineAvailability.unusable(
                    "/dev/kvm exists but /proc/cpuinfo shows neither vmx nor svm: no hardware virtualisation");
            case HARDWARE -> {
                try (Kvm kvm = Kvm.open()) {
                    yield EngineAvailability.usable("hardware KVM (" + hardwareName() + "), up to " + kvm.maxVcpus()
                            + " vCPUs");
                } catch (KvmException e) {
                    yield EngineAvailability.unusable(e.getMessage());
                }
            }
        };
    }

    private static String hardwareName() {
        String flags = cpuFlags(CPUINFO);
        return flags.contains(" vmx ") ? "vmx" : "svm";
    }

    /** The first "flags" line of cpuinfo, padded with spaces for whole-word matching. */
    static String cpuFlags(Path cpuinfo) {
        try {
            List<String> lines = Files.readAllLines(cpuinfo);
            for (String l : lines) {
                if (l.startsWith("flags")) {
                    return " " + l.substring(l.indexOf(':') + 1).trim() + " ";
                }
            }
        } catch (IOException e) {
            return " ";
        }
        return " ";
    }
}

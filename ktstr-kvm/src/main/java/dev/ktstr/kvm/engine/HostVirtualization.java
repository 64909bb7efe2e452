package dev.ktstr.kvm.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code /dev/kvm} is on this host: hardware virtualisation (Intel VMX / AMD SVM), PVM (software
 * nested virtualisation that runs small guests but not stock kernels), unusable, or absent.
 *
 * @param kind    the classification
 * @param detail  one line with the evidence, e.g. "/dev/kvm is kvm_pvm: stock kernels cannot run under it"
 */
public record HostVirtualization(Kind kind, String detail) {

    public enum Kind {
        /** vmx or svm: KVM runs stock kernels. */
        HARDWARE,
        /** kvm_pvm: KVM runs small guests only. */
        PVM,
        /** /dev/kvm exists but cannot be opened read-write. */
        NO_PERMISSION,
        /** no /dev/kvm. */
        ABSENT
    }

    /** Probes the real host. */
    public static HostVirtualization probe() {
        return probe(Path.of("/dev/kvm"), Path.of("/sys/module/kvm_pvm"), Path.of("/proc/cpuinfo"));
    }

    /** Probes with explicit paths (tests use fixtures). */
    public static HostVirtualization probe(Path devKvm, Path pvmModule, Path cpuinfo) {
        if (!Files.exists(devKvm)) {
            return new HostVirtualization(Kind.ABSENT, "no " + devKvm);
        }
        if (!Files.isReadable(devKvm) || !Files.isWritable(devKvm)) {
            return new HostVirtualization(Kind.NO_PERMISSION, "no read-write permission on " + devKvm
                    + " (add the user to the kvm group)");
        }
        if (Files.isDirectory(pvmModule)) {
            return new HostVirtualization(Kind.PVM, devKvm + " is kvm_pvm: stock kernels cannot run under it");
        }
        String flags = cpuFlags(cpuinfo);
        if (flags.contains(" vmx") || flags.contains(" svm")) {
            return new HostVirtualization(Kind.HARDWARE,
                    devKvm + " with hardware virtualisation (" + (flags.contains(" vmx") ? "vmx" : "svm") + ")");
        }
        return new HostVirtualization(Kind.PVM, devKvm + " exists but the CPU shows neither vmx nor svm: "
                + "stock kernels may not run under it");
    }

    private static String cpuFlags(Path cpuinfo) {
        try {
            for (String line : Files.readAllLines(cpuinfo)) {
                if (line.startsWith("flags")) {
                    return line.substring(line.indexOf(':') + 1) + " ";
                }
            }
        } catch (IOException e) {
            return "";
        }
        return "";
    }

    /** Whether KVM can run stock Linux kernels here. */
    public boolean runsStockKernels() {
        return kind == Kind.HARDWARE;
    }
}

package dev.ktstr.runtime.monitor;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ktstr.kvm.introspect.Vmlinux;
import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.KernelProvisioner;
import dev.ktstr.runtime.kernel.ResolvedKernel;
import dev.ktstr.runtime.kernel.TerminalProgress;

/** Test helper: the default kernel's vmlinux (fetched on first use), or a skipped test saying why. */
final class DevKernel {

    private static Vmlinux cached;

    private DevKernel() {}

    static synchronized Vmlinux vmlinux() throws Exception {
        if (cached == null) {
            ResolvedKernel k;
            try {
                k = KernelProvisioner.ensureDefault(TerminalProgress.stderr());
            } catch (KernelException e) {
                assumeTrue(false, "no kernel: " + e.getMessage());
                throw new AssertionError("unreachable");
            }
            assumeTrue(k.vmlinux().isPresent(), () -> "kernel " + k.describe() + " has no vmlinux");
            cached = Vmlinux.open(k.vmlinux().get());
        }
        return cached;
    }
}

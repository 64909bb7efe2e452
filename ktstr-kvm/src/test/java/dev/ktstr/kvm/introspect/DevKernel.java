package dev.ktstr.kvm.introspect;

import dev.ktstr.kvm.TestKernelFiles;

/** Test helper: the real kernel's vmlinux and config ({@link TestKernelFiles}), or a skipped test saying why. */
final class DevKernel {

    private static Vmlinux cached;

    private DevKernel() {}

    static KernelConfig config() throws Exception {
        return KernelConfig.read(TestKernelFiles.requireConfig());
    }

    static synchronized Vmlinux vmlinux() throws Exception {
        if (cached == null) {
            cached = Vmlinux.open(TestKernelFiles.requireVmlinux());
        }
        return cached;
    }
}

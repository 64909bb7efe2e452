package dev.ktstr.kvm.vmm;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ktstr.kvm.engine.KernelImage;
import java.nio.file.Path;

/**
 * The real kernels the full-boot tests use: {@code KTSTR_TEST_KERNEL} (a bzImage) and
 * {@code KTSTR_TEST_VMLINUX} (its ELF with the PVH note), else the ktstr kernel cache
 * ({@link dev.ktstr.kvm.TestKernelFiles}).
 */
final class TestKernels {


    private TestKernels() {}

    /** The kernel in {@code format}, or the calling test is skipped saying where it looked. */
    static KernelImage require(KernelImage.Format format) {
        Path p = format == KernelImage.Format.BZIMAGE ? dev.ktstr.kvm.TestKernelFiles.requireBzImage()
                : dev.ktstr.kvm.TestKernelFiles.requireVmlinux();
        return new KernelImage(p, format);
    }

    /** Skips unless this host runs stock kernels under KVM, naming why not. */
    static void requireHardwareKvm() {
        KvmHost.Flavour f = KvmHost.flavour();
        assumeTrue(f != KvmHost.Flavour.NONE, "no /dev/kvm on this host");
        assumeTrue(f != KvmHost.Flavour.PVM, "kvm_pvm detected: /dev/kvm is PVM, which cannot run stock kernels");
        assumeTrue(f == KvmHost.Flavour.HARDWARE, "no vmx/svm in /proc/cpuinfo: no hardware virtualisation");
    }
}

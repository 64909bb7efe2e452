package dev.ktstr.kvm.vmm;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ktstr.kvm.engine.KernelImage;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real kernels the full-boot tests use: {@code KTSTR_TEST_KERNEL} (a bzImage) and
 * {@code KTSTR_TEST_VMLINUX} (its ELF with the PVH note), or the project's dev cache.
 */
final class TestKernels {

    static final Path DEV_CACHE = Path.of("/work/devcache");

    private TestKernels() {}

    /** The kernel in {@code format}, or the calling test is skipped saying where it looked. */
    static KernelImage require(KernelImage.Format format) {
        String env = format == KernelImage.Format.BZIMAGE ? "KTSTR_TEST_KERNEL" : "KTSTR_TEST_VMLINUX";
        String file = format == KernelImage.Format.BZIMAGE ? "vmlinuz-7.3.4+deb13-cloud-amd64"
                : "vmlinux-7.3.4+deb13-cloud-amd64";
        Path p = System.getenv(env) != null ? Path.of(System.getenv(env)) : DEV_CACHE.resolve(file);
        assumeTrue(Files.isReadable(p), "no kernel at " + p + " (set " + env + ")");
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

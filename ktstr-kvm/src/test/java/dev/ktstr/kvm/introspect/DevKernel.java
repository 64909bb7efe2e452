package dev.ktstr.kvm.introspect;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Test helper: the dev kernel of this project's machines, or a skipped test saying it is absent. */
final class DevKernel {

    static final Path DIR = Path.of(System.getProperty("ktstr.devcache", "/work/devcache"));
    static final Path VMLINUX = DIR.resolve("vmlinux-7.3.4+deb13-cloud-amd64");
    static final Path CONFIG = DIR.resolve("config-7.3.4+deb13-cloud-amd64");

    private static Vmlinux cached;

    private DevKernel() {}

    static KernelConfig config() throws Exception {
        assumeTrue(Files.isReadable(CONFIG), "dev kernel config " + CONFIG + " is absent: test skipped");
        return KernelConfig.read(CONFIG);
    }

    static synchronized Vmlinux vmlinux() throws Exception {
        assumeTrue(Files.isReadable(VMLINUX), "dev kernel " + VMLINUX + " is absent: BTF tests on a real kernel skipped");
        if (cached == null) {
            cached = Vmlinux.open(VMLINUX);
        }
        return cached;
    }
}

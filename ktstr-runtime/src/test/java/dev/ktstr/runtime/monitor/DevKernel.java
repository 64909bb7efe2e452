package dev.ktstr.runtime.monitor;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ktstr.kvm.introspect.Vmlinux;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helper: the dev kernel of this project's machines, or a skipped test saying it is absent. */
final class DevKernel {

    static final Path DIR = Path.of(System.getProperty("ktstr.devcache", "/work/devcache"));
    static final Path VMLINUX = DIR.resolve("vmlinux-7.3.4+deb13-cloud-amd64");
    static final Path CONFIG = DIR.resolve("config-7.3.4+deb13-cloud-amd64");

    private static Vmlinux cached;

    private DevKernel() {}

    static synchronized Vmlinux vmlinux() throws Exception {
        assumeTrue(Files.isReadable(VMLINUX), "dev kernel " + VMLINUX + " is absent: test skipped");
        if (cached == null) {
            cached = Vmlinux.open(VMLINUX);
        }
        return cached;
    }
}

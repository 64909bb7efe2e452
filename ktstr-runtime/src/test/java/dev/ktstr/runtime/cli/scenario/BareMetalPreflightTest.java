package dev.ktstr.runtime.cli.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BareMetalPreflightTest {

    @Test
    void withoutCgroupV2TheRunCannotStart(@TempDir Path root) {
        BareMetalPreflight p = BareMetalPreflight.check(root);
        assertFalse(p.cgroup2());
        assertEquals(1, p.fatalProblems().size());
        assertTrue(p.fatalProblems().get(0).startsWith("bare-metal runs need cgroup v2 mounted at " + root), p.describe());
    }

    @Test
    void withoutTheCpusetControllerCpusetScenariosAreSkipped(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "cpu io memory pids\n");
        BareMetalPreflight p = BareMetalPreflight.check(root);
        assertEquals(Set.of("cpu", "io", "memory", "pids"), p.controllers());
        assertEquals(p.writable(), Files.isWritable(root));
        assertEquals("the cpuset controller is not available in " + root + "/cgroup.controllers (cpu io memory pids)",
                p.cpusetLimitation().orElseThrow());
        assertTrue(p.describe().contains("scenarios that write cpusets will be skipped"), p.describe());
    }

    @Test
    void aFullHostHasNoLimitation(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
        BareMetalPreflight p = BareMetalPreflight.check(root);
        assertTrue(p.cpusetLimitation().isEmpty());
        assertTrue(p.fatalProblems().isEmpty() || !p.writable());
    }
}

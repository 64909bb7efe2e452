package dev.ktstr.runtime.cli.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BareMetalPreflightTest {

    @Test
    void withoutCgroupV2TheRunCannotStart(@TempDir Path root) {
        BareMetalPreflight p = BareMetalPreflight.check(root, "");
        assertFalse(p.cgroup2());
        assertEquals(List.of("bare-metal runs need the unified cgroup v2 hierarchy at " + root + " (no cgroup.controllers "
                + "there: cgroup v1 or nothing); boot with systemd.unified_cgroup_hierarchy=1, or use --vm"),
                p.fatalProblems());
    }

    @Test
    void aHybridHierarchyIsExplained(@TempDir Path root) {
        String mounts = "tmpfs " + root + " tmpfs rw 0 0\ncgroup " + root + "/cpuset cgroup rw,cpuset 0 0\n"
                + "cgroup2 " + root + "/unified cgroup2 rw 0 0\n";
        BareMetalPreflight p = BareMetalPreflight.check(root, mounts);
        assertEquals(List.of(root + "/unified"), p.otherV2Mounts());
        assertTrue(p.describe().contains("a hybrid hierarchy: cgroup v2 is only at " + root + "/unified"), p.describe());
    }

    @Test
    void withoutTheCpusetControllerCpusetScenariosAreSkipped(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "cpu io memory pids\n");
        BareMetalPreflight p = BareMetalPreflight.check(root, "");
        assertEquals(Set.of("cpu", "io", "memory", "pids"), p.controllers());
        assertEquals(p.writable(), Files.isWritable(root));
        assertEquals("the cpuset controller is not available in " + root + "/cgroup.controllers (cpu io memory pids)",
                p.cpusetLimitation().orElseThrow());
        assertTrue(p.describe().contains("scenarios that write cpusets will be skipped"), p.describe());
    }

    @Test
    void aFullHostHasNoLimitation(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
        BareMetalPreflight p = BareMetalPreflight.check(root, "");
        assertTrue(p.cpusetLimitation().isEmpty());
        assertTrue(p.fatalProblems().isEmpty() || !p.writable());
    }
}

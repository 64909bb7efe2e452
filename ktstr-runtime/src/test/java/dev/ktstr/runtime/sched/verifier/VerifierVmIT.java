package dev.ktstr.runtime.sched.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ktstr.annotations.Flag;
import dev.ktstr.annotations.Scheduler;
import dev.ktstr.kvm.engine.EngineSelector;
import dev.ktstr.runtime.kernel.KernelProvisioner;
import dev.ktstr.runtime.kernel.ProgressSink;
import dev.ktstr.runtime.kernel.ResolvedKernel;
import dev.ktstr.runtime.sched.FixtureBuiltInFlag;
import dev.ktstr.runtime.sched.SchedulerCatalog;
import dev.ktstr.runtime.sched.SchedulerDefinition;
import dev.ktstr.runtime.sched.SchedulerLaunch;
import dev.ktstr.topology.Topology;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code ktstr verifier}'s engine in real guests: every flag profile of scx_flatcg loads in a
 * single-CPU guest and reports each struct_ops program's verified instruction count; all 48 profiles
 * of the fixture's built-in flags load on three LLCs; the fixture's verifier-failure flag reports the
 * rejection with the folded loop in its log.
 */
@Tag("vm")
class VerifierVmIT {

    @Scheduler(name = "flatcg", binary = "scx_flatcg")
    enum FlatcgFlag {
        @Flag(args = "-f") FIFO,
        @Flag(args = {"-s", "5000"}) SHORT_SLICE
    }

    @Scheduler(name = "ktstr_fixture", binary = "ktstr_fixture")
    enum FixtureFlag {
        @Flag(args = "--fail-verify") FAIL_VERIFY
    }

    private static List<Verifier.Profile> allProfiles(SchedulerDefinition d) throws Exception {
        List<Verifier.Profile> out = new ArrayList<>();
        for (List<SchedulerDefinition.FlagDef> p : d.profiles(List.of(), List.of())) {
            out.add(new Verifier.Profile(SchedulerDefinition.profileName(p), d.arguments(List.of(), p)));
        }
        return out;
    }

    private static VerifierReport verify(Class<?> enumType) throws Exception {
        return verify(enumType, Topology.of(1, 1, 1));
    }

    private static VerifierReport verify(Class<?> enumType, Topology topology) throws Exception {
        EngineSelector.Choice engine = EngineSelector.fromServiceLoader().choose();
        assumeTrue(engine.found(), "no VM engine: " + engine.reason());
        ResolvedKernel kernel = KernelProvisioner.ensureDefault(ProgressSink.SILENT);
        assumeTrue(kernel.vmlinux().isPresent(), "kernel without vmlinux");
        SchedulerDefinition d = SchedulerDefinition.of(enumType);
        SchedulerCatalog catalog = SchedulerCatalog.system();
        SchedulerCatalog.Found found = catalog.find(d.binary(), kernel, ProgressSink.SILENT);
        Path progs = catalog.tool("ktstr_progs", kernel, ProgressSink.SILENT);
        long t0 = System.nanoTime();
        VerifierReport r = Verifier.run(kernel, engine, SchedulerLaunch.plan(d, found, List.of(), List.of(),
                Optional.empty()), progs, allProfiles(d), topology);
        System.out.printf("%s in %.1f s%n", r.table(), (System.nanoTime() - t0) / 1e9);
        return r;
    }

    @Test
    void everyProfileOfFlatcgReportsVerifiedInstructions() throws Exception {
        VerifierReport r = verify(FlatcgFlag.class);
        assertEquals(List.of("default", "fifo", "short-slice", "fifo+short-slice"),
                r.profiles().stream().map(VerifierReport.ProfileResult::profile).toList());
        assertTrue(r.allLoaded(), r.table());
        for (VerifierReport.ProfileResult p : r.profiles()) {
            List<String> names = p.programs().stream().map(BpfProgram::name).toList();
            assertTrue(names.contains("fcg_enqueue") && names.contains("fcg_dispatch"), p.profile() + ": " + names);
            assertTrue(p.programs().stream().allMatch(x -> x.verifiedInsns() > 0), p.programs().toString());
        }
        assertEquals(List.of(), r.profiles().get(0).args());
        assertEquals(List.of("-f", "-s", "5000"), r.profiles().get(3).args());
    }

    @Test
    void everyProfileOfTheFixturesBuiltInFlagsLoadsOnThreeLlcs() throws Exception {
        // odd-3llc: the LLC map, the per-LLC queues and the steal/rebalance loops over 3 LLCs, 9 CPUs.
        VerifierReport r = verify(FixtureBuiltInFlag.class, Topology.of(3, 3, 1));
        assertEquals(48, r.profiles().size());
        assertTrue(r.allLoaded(), r.table());
        for (VerifierReport.ProfileResult p : r.profiles()) {
            List<String> names = p.programs().stream().map(BpfProgram::name).toList();
            assertTrue(names.containsAll(List.of("fixture_enqueue", "fixture_dispatch", "fixture_init")),
                    p.profile() + ": " + names);
        }
    }

    @Test
    void aRejectedProfileShowsTheCollapsedVerifierLog() throws Exception {
        VerifierReport r = verify(FixtureFlag.class);
        assertTrue(r.profiles().get(0).loaded(), r.table());
        VerifierReport.ProfileResult bad = r.profiles().get(1);
        assertFalse(bad.loaded());
        assertTrue(bad.failure().contains("fixture_fail_verify"), bad.failure());
        assertTrue(bad.verifierLog().contains("identical iterations omitted"), bad.verifierLog());
        assertEquals(1, r.table().split("identical iterations omitted", -1).length - 1, r.table());
    }
}

package dev.ktstr.runtime.scenario.canned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.runtime.result.Outcome;
import dev.ktstr.runtime.scenario.Scenario;
import dev.ktstr.runtime.scenario.ScenarioEnv;
import dev.ktstr.runtime.scenario.WorkType;
import dev.ktstr.runtime.scenario.WorkTypeOverride;
import dev.ktstr.runtime.scenario.canned.CatalogEntry.Category;
import dev.ktstr.runtime.scenario.engine.EngineOptions;
import dev.ktstr.runtime.scenario.engine.ScenarioEngine;
import dev.ktstr.runtime.scenario.engine.ScenarioRun;
import dev.ktstr.runtime.testing.FakeAgent;
import dev.ktstr.runtime.testing.VirtualClock;
import dev.ktstr.topology.Presets;
import dev.ktstr.topology.Topology;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every catalog and canned scenario validates, resolves and runs (against a fake agent) on many topologies. */
class CatalogTest {

    /** Edge cases (1, 2, 3 CPUs; two single-CPU LLCs; two single-CPU nodes) and a spread of the gauntlet presets. */
    static final List<Topology> TOPOLOGIES = List.of(Topology.of(1, 1, 1), Topology.of(1, 2, 1), Topology.of(1, 3, 1),
            Topology.of(2, 1, 1), new Topology(2, 2, 1, 1), Presets.byName("tiny-1llc").orElseThrow().topology(),
            Presets.byName("tiny-2llc").orElseThrow().topology(), Presets.byName("odd-3llc").orElseThrow().topology(),
            Presets.byName("smt-2llc").orElseThrow().topology(), Presets.byName("numa2-4llc").orElseThrow().topology(),
            Presets.byName("numa4-8llc").orElseThrow().topology(), Presets.byName("medium-8llc").orElseThrow().topology());

    static Stream<CatalogEntry> entries() {
        return Catalog.all().stream();
    }

    /** Every public static no-argument method of the canned classes that returns a Scenario. */
    static List<Scenario> cannedMethods() throws Exception {
        List<Scenario> out = new ArrayList<>();
        for (Class<?> c : List.of(Scenarios.class, Basic.class, Cpuset.class, Dynamic.class, Stress.class,
                Interaction.class, Affinity.class, Nested.class, Performance.class)) {
            for (Method m : c.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers())
                        && m.getParameterCount() == 0 && m.getReturnType() == Scenario.class) {
                    out.add((Scenario) m.invoke(null));
                }
            }
        }
        return out;
    }

    @Test
    void theCatalogHas81EntriesInKtstrsCategories() {
        assertEquals(81, Catalog.all().size());
        Map<Category, Integer> counts = new EnumMap<>(Category.class);
        Catalog.all().forEach(e -> counts.merge(e.category(), 1, Integer::sum));
        assertEquals(Map.ofEntries(Map.entry(Category.STRESS, 17), Map.entry(Category.ADVANCED, 20),
                Map.entry(Category.INTERACTION, 9), Map.entry(Category.CPUSET, 6), Map.entry(Category.SCHED_CLASS, 6),
                Map.entry(Category.PERFORMANCE, 5), Map.entry(Category.AFFINITY, 6), Map.entry(Category.NESTED, 4),
                Map.entry(Category.BASIC, 3), Map.entry(Category.DYNAMIC, 3), Map.entry(Category.STALL, 2)), counts);
        assertEquals(81, new HashSet<>(Catalog.names()).size(), "names are unique");
    }

    @Test
    void theDataDrivenEntriesOfTheFactsArePresent() {
        for (String n : List.of("cgroup_steady", "cgroup_cpuset_llc_steady", "cgroup_cpuset_cross_llc_steady",
                "cgroup_cpuset_overlap_steady", "cgroup_partial_cpus_steady", "cgroup_uneven_steady",
                "cgroup_oversubscribed", "cgroup_affinity_inherit", "cgroup_affinity_random", "cgroup_affinity_spanning",
                "cgroup_affinity_pinned", "sched_batch", "sched_idle", "sched_fifo", "sched_rr", "cgroup_idle_overloaded",
                "cgroup_all_loaded", "cgroup_llc_overflow", "cgroup_load_imbalance", "stall_detect", "stall_recovery",
                "cgroup_cpuset_llc_affinity", "cgroup_affinity_change", "cgroup_cpuset_overlap_imbalance",
                "cgroup_cpuset_overlap_load_imbalance", "cgroup_bursty_imbalance", "cgroup_bursty_load_shift",
                "fork_exit_churn", "nice_sweep", "affinity_churn", "policy_churn", "page_fault_churn",
                "mutex_contention_light", "mutex_contention_heavy")) {
            assertTrue(Catalog.find(n).isPresent(), n);
        }
        CatalogEntry overlap = Catalog.get("cgroup_cpuset_overlap_steady");
        assertEquals(3, overlap.numCgroups());
        assertEquals("overlap(0.5)", overlap.partition().describe());
        assertEquals(List.of("llc", "steal"), Catalog.get("cgroup_llc_overflow").requiredFlags());
        assertEquals(List.of("reject-pin"), Catalog.get("cgroup_affinity_change").excludedFlags());
    }

    @Test
    void atLeastFiftyDocumentedMethodsBuildScenarios() throws Exception {
        List<Scenario> canned = cannedMethods();
        assertTrue(canned.size() >= 60, "canned methods: " + canned.size());
        assertEquals(canned.size(), canned.stream().map(Scenario::name).distinct().count(), "every name is distinct");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void everyEntryValidatesResolvesAndRunsOnEveryTopology(CatalogEntry entry) {
        int ran = 0;
        for (Topology t : TOPOLOGIES) {
            if (entry.scenario().skipReason(t).isPresent()) {
                continue;
            }
            checkRuns(entry.scenario(), t);
            ran++;
        }
        assertTrue(ran >= 3, entry.name() + " ran on only " + ran + " topologies");
    }

    @Test
    void everyCannedMethodValidatesResolvesAndRunsOnEveryTopology() throws Exception {
        for (Scenario s : cannedMethods()) {
            for (Topology t : TOPOLOGIES) {
                if (s.skipReason(t).isEmpty()) {
                    checkRuns(s, t);
                }
            }
        }
    }

    @Test
    void mostScenariosRunEvenOnOneCpuAndTheRestSaySo() {
        Topology one = Topology.of(1, 1, 1);
        List<String> skipped = Catalog.all().stream().filter(e -> e.scenario().skipReason(one).isPresent())
                .map(e -> e.name() + ": " + e.scenario().skipReason(one).get()).toList();
        assertTrue(skipped.size() < 25, skipped.toString());
        skipped.forEach(s -> assertTrue(s.contains("need >= "), s));
    }

    private static void checkRuns(Scenario s, Topology t) {
        String where = s.name() + " on " + t;
        s.validate(t);
        s.validate(ScenarioEnv.of(t, Duration.ofSeconds(20), 4));
        ScenarioEnv override = ScenarioEnv.of(t, Duration.ofSeconds(2), 2,
                new WorkTypeOverride(new WorkType.PipeIo(1024), WorkTypeOverride.Scope.SWAPPABLE_AND_CPU_SPIN));
        s.validate(override);
        for (ScenarioEnv env : List.of(ScenarioEnv.defaults(t), override)) {
            FakeAgent agent = new FakeAgent();
            ScenarioRun r = new ScenarioEngine(agent, EngineOptions.defaults().withClock(new VirtualClock())).run(s, env);
            assertEquals(Outcome.Status.PASSED, r.status(), where + ": " + r.report());
            assertTrue(agent.cgroups.isEmpty() && agent.running.isEmpty(), where + " left " + agent.cgroups);
            assertFalse(r.samples().isEmpty(), where + " collected no workers");
            assertTrue(r.steps().size() == s.steps().size(), where);
        }
    }

    @Test
    void unknownNamesGetASuggestion() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Catalog.get("cgroup_stedy"));
        assertTrue(e.getMessage().startsWith("unknown scenario 'cgroup_stedy' (did you mean 'cgroup_steady'?)"),
                e.getMessage());
    }

    @Test
    void flagsSelectEntries() {
        CatalogEntry overflow = Catalog.get("cgroup_llc_overflow");
        assertFalse(overflow.runsWith(Set.of("llc")));
        assertTrue(overflow.runsWith(Set.of("llc", "steal", "borrow")));
        CatalogEntry change = Catalog.get("cgroup_affinity_change");
        assertTrue(change.runsWith(Set.of()));
        assertFalse(change.runsWith(Set.of("reject-pin")));
        assertThrows(IllegalArgumentException.class, () -> new CatalogEntry(Scenarios.steady(), Category.BASIC,
                List.of("lcc"), List.of(), 0, CpusetPartition.NONE));
    }

    @Test
    void partitionsSplitAsDescribed() {
        Topology t = Topology.of(2, 4, 1); // 8 CPUs, usable 0-6, LLCs 0-3 | 4-7
        assertEquals("0-2", CpusetPartition.SPLIT_MISALIGNED.spec(0, 2, t).resolve(t).render());
        assertEquals("3-6", CpusetPartition.SPLIT_MISALIGNED.spec(1, 2, t).resolve(t).render(), "spans both LLCs");
        Topology t16 = Topology.of(4, 4, 1); // usable 0-14: the half boundary 7 is mid-LLC already
        assertEquals("0-6", CpusetPartition.SPLIT_MISALIGNED.spec(0, 2, t16).resolve(t16).render());
        Topology aligned = Topology.of(2, 4, 1);
        assertEquals("0-4", CpusetPartition.uneven(0.75).spec(0, 2, aligned).resolve(aligned).render(), "⌊7·0.75⌋ = 5");
        assertEquals("5-6", CpusetPartition.uneven(0.75).spec(1, 2, aligned).resolve(aligned).render());
        assertEquals("0-1", CpusetPartition.holdback(0.33).spec(0, 2, aligned).resolve(aligned).render());
        assertEquals("2-3", CpusetPartition.holdback(0.33).spec(1, 2, aligned).resolve(aligned).render());
        assertEquals(List.of("need >= 2 LLCs"), CpusetPartition.LLC_ALIGNED.requirements(2).stream()
                .map(r -> r.reason()).toList());
    }
}

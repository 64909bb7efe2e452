package dev.ktstr.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.ktstr.processor.Sources.DEMO_FLAG;
import static dev.ktstr.processor.Sources.compile;
import static dev.ktstr.processor.Sources.generatedSource;
import static dev.ktstr.processor.Sources.resource;
import static dev.ktstr.processor.Sources.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.ktstr.processor.model.BruteForce;
import dev.ktstr.processor.model.FlagDecl;
import dev.ktstr.runtime.junit.ManifestEntry;
import dev.ktstr.runtime.junit.VariantManifests;
import dev.ktstr.topology.Presets;
import dev.ktstr.topology.TopologyConstraints;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** What the processor generates, compiled (with -Xlint:all -Werror) against the real runtime and JUnit. */
class GenerationTest {

    private static final String MANIFEST = "META-INF/ktstr/variants/t.DemoTest.json";

    private static JavaFileObject demoTest() {
        return source("DemoTest",
                "class DemoTest {",
                "    @KtstrTest(scheduler = DemoFlag.class, maxLlcs = 2)",
                "    void mixed(Ctx ctx) {}",
                "    @KtstrTest(scheduler = DemoFlag.class, requiredFlags = \"steal\", minLlcs = 4, maxLlcs = 4,",
                "            requiresSmt = true, durationS = 5)",
                "    static void stealing(Ctx ctx) {}",
                "    @KtstrTest(hostOnly = true)",
                "    void probe(Ctx ctx) {}",
                "}");
    }

    private static List<ManifestEntry> manifest(Compilation c, String path) {
        return VariantManifests.parse(new ByteArrayInputStream(resource(c, path).getBytes(StandardCharsets.UTF_8)), path);
    }

    @Test
    void sixFlagsWithStealRequiringLlcYield48ProfilesPerPreset() {
        Compilation c = compile(DEMO_FLAG, demoTest());
        assertThat(c).succeededWithoutWarnings();
        List<ManifestEntry> entries = manifest(c, MANIFEST);
        List<ManifestEntry> mixedOnTiny = entries.stream()
                .filter(e -> e.test().equals("mixed") && "tiny-1llc".equals(e.preset()))
                .toList();
        assertEquals(48, mixedOnTiny.size());
        assertEquals(48, mixedOnTiny.stream().map(ManifestEntry::flags).distinct().count());
        // maxLlcs = 2 keeps tiny-1llc, tiny-2llc, smt-2llc.
        assertEquals(Set.of("tiny-1llc", "tiny-2llc", "smt-2llc"), entries.stream()
                .filter(e -> e.test().equals("mixed") && e.preset() != null).map(ManifestEntry::preset)
                .collect(Collectors.toSet()));
        assertEquals(1 + 3 * 48, entries.stream().filter(e -> e.test().equals("mixed")).count());
    }

    @Test
    void requiredFlagsAndSmtNarrowTheGauntlet() {
        List<ManifestEntry> entries = manifest(compile(DEMO_FLAG, demoTest()), MANIFEST);
        List<ManifestEntry> stealing = entries.stream().filter(e -> e.test().equals("stealing")).toList();
        // steal required (so llc too): 2^4 profiles of borrow, rebal, reject-pin, no-ctrl; presets with
        // exactly 4 LLCs and SMT: medium-4llc, large-4llc.
        assertEquals(1 + 2 * 16, stealing.size());
        ManifestEntry base = stealing.get(0);
        assertEquals("ktstr/stealing", base.id());
        assertEquals(List.of("llc", "steal"), base.flags(), "the base test runs the required flags (and theirs)");
        assertTrue(stealing.stream().allMatch(e -> e.flags().containsAll(List.of("llc", "steal"))));
        assertEquals(Set.of("medium-4llc", "large-4llc"), stealing.stream().skip(1).map(ManifestEntry::preset)
                .collect(Collectors.toSet()));
    }

    @Test
    void generatedClassesCallTheRunnerWithTheirVariant() {
        Compilation c = compile(DEMO_FLAG, demoTest());
        String vm = generatedSource(c, "t.DemoTest_KtstrIT");
        assertTrue(vm.contains("@ExtendWith(KtstrEnvironmentCondition.class)"), vm);
        assertTrue(vm.contains("@Generated(\"dev.ktstr.processor.KtstrProcessor\")"), vm);
        assertTrue(vm.contains("@Tag(\"ktstr\")\nfinal class DemoTest_KtstrIT {"), "the ktstr tag is on the class");
        assertTrue(vm.contains("private static final TestBody BODY_mixed = ctx -> new DemoTest().mixed(ctx);"), vm);
        assertTrue(vm.contains("private static final TestBody BODY_stealing = ctx -> DemoTest.stealing(ctx);"), vm);
        assertTrue(vm.contains("""
                    @Test
                    @DisplayName("gauntlet/mixed/smt-2llc/llc+steal+no-ctrl")
                    @Tag("gauntlet")
                    @Tag("topo-smt-2llc")
                    @Tag("sched-demo")
                    @Tag("flag-llc")
                    @Tag("flag-steal")
                    @Tag("flag-no-ctrl")
                    void mixed__smt_2llc__llc_steal_no_ctrl() throws Exception {
                        KtstrRunner.run(Variant.gauntlet(DemoTest.class, "mixed", "smt-2llc", "llc", "steal", "no-ctrl"), BODY_mixed);
                    }
                """), vm);
        assertTrue(vm.contains("KtstrRunner.run(Variant.base(DemoTest.class, \"stealing\", \"llc\", \"steal\"), BODY_stealing);"),
                vm);
        String host = generatedSource(c, "t.DemoTest_KtstrHostTest");
        assertTrue(host.contains("""
                    @Test
                    @DisplayName("ktstr/probe")
                    @Tag("host-only")
                    @Tag("sched-eevdf")
                    void probe() throws Exception {
                        KtstrRunner.run(Variant.base(DemoTest.class, "probe"), BODY_probe);
                    }
                """), host);
        assertTrue(!vm.contains("probe"), "host-only tests stay out of the VM class");
    }

    @Test
    void manifestNamesEveryGeneratedMethod() {
        Compilation c = compile(DEMO_FLAG, demoTest());
        List<ManifestEntry> entries = manifest(c, MANIFEST);
        String vm = generatedSource(c, "t.DemoTest_KtstrIT");
        String host = generatedSource(c, "t.DemoTest_KtstrHostTest");
        for (ManifestEntry e : entries) {
            String src = e.hostOnly() ? host : vm;
            assertEquals(e.hostOnly() ? "t.DemoTest_KtstrHostTest" : "t.DemoTest_KtstrIT", e.generatedClass());
            assertTrue(src.contains("void " + e.generatedMethod() + "() throws Exception"), e.key());
            assertTrue(src.contains("@DisplayName(\"" + e.id() + "\")"), e.id());
            assertTrue(e.costSecs() > 0 && !e.features().isEmpty(), e.id());
        }
        assertEquals(entries.size(), entries.stream().map(ManifestEntry::id).distinct().count(), "ids are unique");
        ManifestEntry probe = entries.stream().filter(ManifestEntry::hostOnly).findFirst().orElseThrow();
        assertEquals(2.5, probe.costSecs());
        assertTrue(probe.features().contains("host-only"));
    }

    @Test
    void outputIsTheSameOnEveryBuild() {
        Compilation a = compile(DEMO_FLAG, demoTest());
        Compilation b = compile(demoTest(), DEMO_FLAG);
        assertEquals(resource(a, MANIFEST), resource(b, MANIFEST));
        assertEquals(generatedSource(a, "t.DemoTest_KtstrIT"), generatedSource(b, "t.DemoTest_KtstrIT"));
        assertEquals(generatedSource(a, "t.DemoTest_KtstrHostTest"), generatedSource(b, "t.DemoTest_KtstrHostTest"));
    }

    @Test
    void topologyInheritsAttributeByAttributeFromTheScheduler() {
        Compilation c = compile(DEMO_FLAG, source("Inherit", "class Inherit {",
                "    @KtstrTest(scheduler = DemoFlag.class, cores = 3, excludedFlags = {\"LLC\", \"steal\", \"borrow\","
                        + " \"rebal\", \"reject-pin\", \"NO_CTRL\"})",
                "    void t(Ctx ctx) {}", "}"));
        assertThat(c).succeededWithoutWarnings();
        ManifestEntry base = manifest(c, "META-INF/ktstr/variants/t.Inherit.json").get(0);
        assertEquals("1n2l3c1t", base.topology().render(), "llcs from DemoFlag's @Topology, cores from the test");
        long presets = Presets.accepted(TopologyConstraints.DEFAULT).size();
        assertEquals(1 + presets, manifest(c, "META-INF/ktstr/variants/t.Inherit.json").size(),
                "everything excluded leaves the default profile on each preset");
    }

    @Test
    void nestedGenericAndRecordTestClassesAreReachable() {
        Compilation c = compile(source("Outer",
                "class Outer {",
                "    static class Nested<X> {",
                "        @KtstrTest(hostOnly = true) void a(Ctx ctx) {}",
                "    }",
                "    record Rec() {",
                "        @KtstrTest(hostOnly = true) void b(Ctx ctx) {}",
                "    }",
                "    interface Api {",
                "        @KtstrTest(hostOnly = true) static void c(Ctx ctx) {}",
                "    }",
                "}"));
        assertThat(c).succeededWithoutWarnings();
        assertTrue(generatedSource(c, "t.Outer_Nested_KtstrHostTest").contains("ctx -> new Outer.Nested<>().a(ctx)"));
        assertTrue(generatedSource(c, "t.Outer_Rec_KtstrHostTest").contains("ctx -> new Outer.Rec().b(ctx)"));
        assertTrue(generatedSource(c, "t.Outer_Api_KtstrHostTest").contains("ctx -> Outer.Api.c(ctx)"));
        assertEquals("t.Outer$Nested_KtstrIT".replace("$Nested_KtstrIT", "_Nested_KtstrHostTest"),
                manifest(c, "META-INF/ktstr/variants/t.Outer$Nested.json").get(0).generatedClass());
    }

    /**
     * Held-out flag graphs, compiled end to end: the number of gauntlet variants on one preset must
     * equal the brute-force count of power-set profiles closed under requirements.
     */
    @Test
    void heldOutFlagGraphsMatchTheBruteForceEndToEnd() {
        record Graph(String name, String[] constants, String required, String excluded) {}
        List<Graph> graphs = List.of(
                new Graph("chain", new String[] {"A", "B:A", "C:B", "D:C", "E"}, "", ""),
                new Graph("chainRequiredTail", new String[] {"A", "B:A", "C:B", "D:C", "E"}, "D", ""),
                new Graph("diamond", new String[] {"TOP", "LEFT:TOP", "RIGHT:TOP", "BOTTOM:LEFT,RIGHT", "X"}, "", ""),
                new Graph("diamondExcluded", new String[] {"TOP", "LEFT:TOP", "RIGHT:TOP", "BOTTOM:LEFT,RIGHT", "X"}, "",
                        "RIGHT"),
                new Graph("fanIn", new String[] {"A", "B", "C", "ALL:A,B,C", "SOLO"}, "B", "SOLO"),
                new Graph("mixed", new String[] {"A", "B:A", "C", "D:C", "E:B,D", "F"}, "B", "F"),
                new Graph("independent", new String[] {"P", "Q", "R", "S", "T", "U", "V"}, "", "U"));
        for (Graph g : graphs) {
            String enumName = Character.toUpperCase(g.name.charAt(0)) + g.name.substring(1) + "Flag";
            List<String> lines = new ArrayList<>();
            lines.add("@Scheduler(name = \"" + g.name + "\", binary = \"scx_x\")");
            lines.add("enum " + enumName + " {");
            List<FlagDecl> decls = new ArrayList<>();
            for (int i = 0; i < g.constants.length; i++) {
                String[] parts = g.constants[i].split(":");
                List<String> req = parts.length > 1 ? List.of(parts[1].split(",")) : List.of();
                String requires = req.stream().map(r -> "\"" + r + "\"").collect(Collectors.joining(", "));
                lines.add("    @Flag(args = \"--" + parts[0].toLowerCase(Locale.ROOT) + "\", requires = {" + requires + "}) "
                        + parts[0] + (i + 1 < g.constants.length ? "," : ""));
                decls.add(new FlagDecl(parts[0], parts[0].toLowerCase(Locale.ROOT), List.of(),
                        req.stream().map(r -> r.toLowerCase(Locale.ROOT)).toList()));
            }
            lines.add("}");
            JavaFileObject sched = source(enumName, lines.toArray(String[]::new));
            JavaFileObject test = source("G" + enumName, "class G" + enumName + " {",
                    "    @KtstrTest(scheduler = " + enumName + ".class, maxLlcs = 1,"
                            + " requiredFlags = {" + quoted(g.required) + "}, excludedFlags = {" + quoted(g.excluded) + "})",
                    "    void t(Ctx ctx) {}", "}");
            Compilation c = compile(sched, test);
            assertThat(c).succeededWithoutWarnings();
            List<ManifestEntry> gauntlet = manifest(c, "META-INF/ktstr/variants/t.G" + enumName + ".json").stream()
                    .filter(e -> "tiny-1llc".equals(e.preset())).toList();
            Set<Set<String>> expected = BruteForce.profiles(decls, lower(g.required), lower(g.excluded));
            Set<Set<String>> got = new HashSet<>();
            gauntlet.forEach(e -> got.add(new TreeSet<>(e.flags())));
            assertEquals(expected.size(), gauntlet.size(), g.name);
            assertEquals(expected, got, g.name);
        }
    }

    private static String quoted(String csv) {
        return csv.isEmpty() ? "" : List.of(csv.split(",")).stream().map(x -> "\"" + x + "\"")
                .collect(Collectors.joining(", "));
    }

    private static Set<String> lower(String csv) {
        return csv.isEmpty() ? Set.of() : List.of(csv.split(",")).stream().map(x -> x.toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
    }
}

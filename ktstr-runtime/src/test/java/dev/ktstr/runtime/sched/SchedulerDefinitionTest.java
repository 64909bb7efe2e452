package dev.ktstr.runtime.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.annotations.Flag;
import dev.ktstr.annotations.KernelDefault;
import dev.ktstr.annotations.Scheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SchedulerDefinitionTest {

    @Scheduler(name = "mitosis", binary = "scx_mitosis", schedArgs = {"--exit-dump-len", "1048576"},
            cgroupParent = "/cells", configFile = "conf/mitosis.json")
    enum MitosisFlag {
        @Flag(args = "--enable-llc-awareness") LLC,
        @Flag(args = "--enable-work-stealing", requires = "LLC") STEAL,
        @Flag(args = {"-s", "5000"}) SHORT_SLICE,
        NO_ARGS
    }

    @Scheduler(name = "broken", binary = "x")
    enum BrokenFlag {
        @Flag(requires = "MISSING") A
    }

    enum NotAScheduler { X }

    @Test
    void readsTheEnum() throws Exception {
        SchedulerDefinition d = SchedulerDefinition.of(MitosisFlag.class);
        assertEquals("mitosis", d.name());
        assertEquals("scx_mitosis", d.binary());
        assertEquals(List.of("llc", "steal", "short-slice", "no-args"),
                d.flags().stream().map(SchedulerDefinition.FlagDef::name).toList());
        assertEquals(List.of("LLC"), d.flag("steal").orElseThrow().requires());
        assertEquals(List.of("-s", "5000"), d.flag("SHORT_SLICE").orElseThrow().args());
        assertTrue(SchedulerDefinition.of(KernelDefault.class).isKernelDefault());
    }

    @Test
    void rejectsUnknownRequiresAndPlainEnums() {
        SchedulerException e = assertThrows(SchedulerException.class, () -> SchedulerDefinition.of(BrokenFlag.class));
        assertEquals(SchedulerException.Kind.BAD_DEFINITION, e.kind());
        assertTrue(e.getMessage().contains("requires 'MISSING'"), e.getMessage());
        assertThrows(SchedulerException.class, () -> SchedulerDefinition.of(NotAScheduler.class));
    }

    @Test
    void argumentsFollowTheMergeOrder() throws Exception {
        SchedulerDefinition d = SchedulerDefinition.of(MitosisFlag.class);
        List<String> args = d.arguments(List.of("--extra"), d.flags(List.of("short-slice", "LLC")));
        assertEquals(List.of("--config", "/include-files/mitosis.json", "--cell-parent-cgroup", "/cells",
                "--exit-dump-len", "1048576", "--extra", "--enable-llc-awareness", "-s", "5000"), args);
    }

    @Test
    void profilesAreThePowerSetThatSatisfiesRequires() throws Exception {
        SchedulerDefinition d = SchedulerDefinition.of(MitosisFlag.class);
        List<String> names = d.profiles(List.of(), List.of()).stream().map(SchedulerDefinition::profileName).toList();
        // 4 flags = 16 subsets, minus the 4 with STEAL but not LLC.
        assertEquals(12, names.size());
        assertEquals("default", names.get(0));
        assertTrue(names.contains("llc+steal+short-slice+no-args"));
        assertTrue(names.stream().noneMatch(n -> n.contains("steal") && !n.contains("llc")));

        List<String> required = d.profiles(List.of("LLC"), List.of("no-args")).stream()
                .map(SchedulerDefinition::profileName).toList();
        assertEquals(List.of("llc", "llc+steal", "llc+short-slice", "llc+steal+short-slice"), required);
        SchedulerException e = assertThrows(SchedulerException.class, () -> d.profiles(List.of("nope"), List.of()));
        assertTrue(e.getMessage().contains("'nope' is not a flag of scheduler mitosis"), e.getMessage());
    }

    @Test
    void kebabNames() {
        assertEquals("reject-pin", SchedulerDefinition.kebab("REJECT_PIN"));
        assertEquals("llc", SchedulerDefinition.kebab("LLC"));
        assertEquals("reject-pin", SchedulerDefinition.kebab("RejectPin"));
        assertEquals("http-server", SchedulerDefinition.kebab("HTTPServer"));
        assertEquals("cpu1-fast", SchedulerDefinition.kebab("Cpu1Fast"));
        assertEquals("central-cpu1", SchedulerDefinition.kebab("CENTRAL_CPU1"));
    }

    @Test
    void launchAddsTheWatchdogOptionOnlyWhereTheSchedulerHasOne() throws Exception {
        SchedulerDefinition fixture = SchedulerDefinition.forBinary("ktstr_fixture", "ktstr_fixture", List.of());
        var found = new SchedulerCatalog.Found(Path.of("/x/ktstr_fixture"), SchedulerCatalog.Origin.CACHE,
                BuildableScheduler.byBinary("ktstr_fixture"));
        SchedulerLaunch l = SchedulerLaunch.plan(fixture, found, List.of("--stall-after", "1"), List.of(),
                Optional.of(Duration.ofSeconds(2)));
        assertEquals(List.of("--stall-after", "1", "--timeout-ms", "2000"), l.args());
        assertEquals(SchedulerLaunch.WatchdogMode.SCHEDULER_OPTION, l.watchdogMode());
        assertEquals("/scheduler --stall-after 1 --timeout-ms 2000", l.commandLine());

        SchedulerDefinition simple = SchedulerDefinition.forBinary("simple", "scx_simple", List.of());
        var foundSimple = new SchedulerCatalog.Found(Path.of("/x/scx_simple"), SchedulerCatalog.Origin.CACHE,
                BuildableScheduler.byBinary("scx_simple"));
        SchedulerLaunch s = SchedulerLaunch.plan(simple, foundSimple, List.of(), List.of(),
                Optional.of(Duration.ofSeconds(2)));
        assertEquals(List.of(), s.args());
        assertEquals(SchedulerLaunch.WatchdogMode.HOST_OVERRIDE, s.watchdogMode());
        assertEquals(SchedulerLaunch.WatchdogMode.NONE,
                SchedulerLaunch.plan(simple, foundSimple, List.of(), List.of(), Optional.empty()).watchdogMode());
        assertEquals(List.of("--timeout-ms", "30000"),
                BuildableScheduler.KTSTR_FIXTURE.watchdogArgs(Duration.ofMinutes(5)));
    }
}

package dev.ktstr.examples.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.runtime.sched.BuildableScheduler;
import dev.ktstr.runtime.sched.SchedulerDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The example @Scheduler enums against the schedulers they describe: each names a binary ktstr builds
 * with the ops name it registers, and every flag uses only options the scheduler's getopt accepts
 * (the strings of tools/sched_ext in linux 7.3, and the fixture loader's {@code long_opts}), with an
 * argument exactly where getopt wants one.
 */
class SchedulerEnumsTest {

    /** getopt strings of the loaders (scx_*.c, 7.3). */
    private static final Map<String, String> GETOPT = Map.of(
            "scx_simple", "fvh",
            "scx_flatcg", "s:i:fvh",
            "scx_central", "s:c:vh");

    @Test
    void kernelExamplesUseRealOptions() throws Exception {
        for (Class<?> c : List.of(SimpleFlag.class, FlatcgFlag.class, CentralFlag.class)) {
            SchedulerDefinition d = SchedulerDefinition.of(c);
            BuildableScheduler b = BuildableScheduler.byBinary(d.binary()).orElseThrow();
            assertEquals(b.opsName(), d.name(), c.getSimpleName());
            String getopt = GETOPT.get(d.binary());
            for (SchedulerDefinition.FlagDef f : d.flags()) {
                List<String> args = f.args();
                for (int i = 0; i < args.size(); i++) {
                    String a = args.get(i);
                    assertTrue(a.length() == 2 && a.charAt(0) == '-', d.binary() + " " + f.name() + ": " + a);
                    int at = getopt.indexOf(a.charAt(1));
                    assertTrue(at >= 0, d.binary() + " has no option " + a);
                    boolean wantsArg = at + 1 < getopt.length() && getopt.charAt(at + 1) == ':';
                    if (wantsArg) {
                        i++;
                        assertTrue(i < args.size(), a + " needs a value");
                        Double.parseDouble(args.get(i));
                    }
                }
            }
        }
    }

    /** The fixture loader's long options ({@code long_opts} of schedulers/ktstr-fixture/ktstr_fixture.c). */
    private static Map<String, Boolean> fixtureOptions() throws Exception {
        String src = Files.readString(Path.of("..", "schedulers", "ktstr-fixture", "ktstr_fixture.c"));
        Map<String, Boolean> opts = new java.util.HashMap<>();
        Matcher m = Pattern.compile("\\{\"([a-z-]+)\", (no_argument|required_argument),").matcher(src);
        while (m.find()) {
            opts.put("--" + m.group(1), m.group(2).equals("required_argument"));
        }
        assertTrue(opts.size() >= 14, "long_opts not found: " + opts);
        return opts;
    }

    @Test
    void fixtureEnumsUseItsRealOptions() throws Exception {
        Map<String, Boolean> opts = fixtureOptions();
        for (Class<?> c : List.of(FixtureFlag.class, dev.ktstr.examples.BuiltInFlag.class,
                dev.ktstr.runtime.sched.FixtureBuiltInFlag.class)) {
            SchedulerDefinition d = SchedulerDefinition.of(c);
            assertEquals("ktstr_fixture", d.binary(), c.getSimpleName());
            List<String> all = new java.util.ArrayList<>(d.schedArgs());
            d.flags().forEach(f -> all.addAll(f.args()));
            for (int i = 0; i < all.size(); i++) {
                String a = all.get(i);
                assertTrue(opts.containsKey(a), c.getSimpleName() + ": ktstr_fixture has no option " + a);
                if (opts.get(a)) {
                    i++;
                    assertTrue(i < all.size(), a + " needs a value");
                    Double.parseDouble(all.get(i));
                }
            }
        }
        assertEquals(List.of("--llc-aware"), SchedulerDefinition.of(dev.ktstr.examples.BuiltInFlag.class)
                .flag("llc").orElseThrow().args());
    }

    @Test
    void profilesAreEveryCombination() throws Exception {
        assertEquals(List.of("default", "fifo"), names(SimpleFlag.class));
        assertEquals(List.of("default", "fifo", "short-slice", "fifo+short-slice"), names(FlatcgFlag.class));
        assertEquals(List.of("default", "short-slice", "central-cpu1", "short-slice+central-cpu1"),
                names(CentralFlag.class));
        assertEquals(32, names(FixtureFlag.class).size());
        assertEquals(48, names(dev.ktstr.examples.BuiltInFlag.class).size());
    }

    @Test
    void fixtureFlagsMapToItsOptions() throws Exception {
        SchedulerDefinition d = SchedulerDefinition.of(FixtureFlag.class);
        assertEquals("ktstr_fixture", d.name());
        assertEquals(List.of("--stall-after", "1", "--unfair"),
                d.arguments(List.of(), d.flags(List.of("UNFAIR", "STALL_AFTER"))));
    }

    private static List<String> names(Class<?> c) throws Exception {
        SchedulerDefinition d = SchedulerDefinition.of(c);
        return d.profiles(List.of(), List.of()).stream().map(SchedulerDefinition::profileName).toList();
    }
}

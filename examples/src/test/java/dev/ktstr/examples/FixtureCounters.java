package dev.ktstr.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.runtime.Ctx;
import dev.ktstr.runtime.agent.AgentException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fixture scheduler's counters, as its control thread last wrote them to {@value #FILE} in the
 * guest (one {@code name=value} line each, once a second; see {@code schedulers/ktstr-fixture}). This
 * is how a test sees that a flag did what it promises. There is no file with {@code --no-ctrl}.
 *
 * @param values every counter by name
 */
record FixtureCounters(Map<String, Long> values) {

    static final String FILE = "/tmp/ktstr_fixture.stats";
    private static final int ENOENT = 2;

    FixtureCounters {
        values = Map.copyOf(values);
    }

    /** The counters, or empty when the scheduler writes none (it runs with {@code --no-ctrl}). */
    static Optional<FixtureCounters> read(Ctx ctx) throws AgentException {
        byte[] data;
        try {
            data = ctx.agent().readFile(FILE, 64 * 1024);
        } catch (AgentException e) {
            if (e.kind() == AgentException.Kind.REMOTE_ERROR && e.errno() == ENOENT) {
                return Optional.empty();
            }
            throw e;
        }
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : new String(data, StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1).strip()));
            }
        }
        return Optional.of(new FixtureCounters(values));
    }

    /** The counters; the test fails when the scheduler wrote none. */
    static FixtureCounters require(Ctx ctx) throws AgentException {
        return read(ctx).orElseThrow(() -> new AssertionError("the fixture's control thread wrote no " + FILE));
    }

    /** One counter; the test fails when the file lacks it. */
    long get(String name) {
        Long v = values.get(name);
        if (v == null) {
            throw new AssertionError(FILE + " has no counter '" + name + "': " + values);
        }
        return v;
    }

    /**
     * What every run under the variant's flags must show: no counters at all with {@code no-ctrl};
     * otherwise work went through the scheduler, LLC queues were used exactly with {@code llc}, the
     * rebalancing timer ran exactly with {@code rebal}, and the counters of {@code steal},
     * {@code borrow} and {@code reject-pin} stayed at zero without their flag.
     */
    static void assertFlagsTookEffect(Ctx ctx) throws AgentException {
        List<String> flags = ctx.variant().flags();
        Optional<FixtureCounters> read = read(ctx);
        if (flags.contains("no-ctrl")) {
            assertTrue(read.isEmpty(), "--no-ctrl runs no control thread, yet " + FILE + " says " + read);
            return;
        }
        FixtureCounters c = read.orElseThrow(() -> new AssertionError("the fixture's control thread wrote no "
                + FILE));
        String all = " (" + flags + ": " + c.values() + ")";
        assertTrue(c.get("enqueued") > 0, "no task went through the scheduler" + all);
        assertEquals(flags.contains("llc"), c.get("llc_queued") > 0, "tasks queued on LLC queues" + all);
        assertEquals(flags.contains("rebal"), c.get("rebal_runs") > 0, "the rebalancing timer ran" + all);
        if (!flags.contains("steal")) {
            assertEquals(0, c.get("steals"), "steals without steal" + all);
        }
        if (!flags.contains("borrow")) {
            assertEquals(0, c.get("borrowed"), "CPUs of other LLCs borrowed without borrow" + all);
        }
        if (!flags.contains("reject-pin")) {
            assertEquals(0, c.get("pinned_queued"), "pinned tasks queued without reject-pin" + all);
        } else {
            assertEquals(0, c.get("local"), "pinned tasks took the fast path with reject-pin" + all);
        }
    }
}

package dev.ktstr.runtime.scenario;

import dev.ktstr.runtime.agent.WorkerGroupSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What each worker of a group does in its loop: the 20 work types of ktstr facts §7.2, mirrored
 * one-to-one by {@code enum kw_type} in {@code ktstr_work.h} (the agent runs them; this side only
 * names them and their parameters). Parameters travel in the header's order and must be at least 1,
 * because 0 on the wire means "the default". Grouped types (pipe pairs, fan-out groups, mutex
 * contenders) need a worker count that is a multiple of {@link #groupSize()}.
 */
public sealed interface WorkType {

    WorkType CPU_SPIN = new CpuSpin();
    WorkType YIELD_HEAVY = new YieldHeavy();
    WorkType MIXED = new Mixed();
    WorkType IO_SYNC = new IoSync();
    WorkType FORK_EXIT = new ForkExit();
    WorkType NICE_SWEEP = new NiceSweep();

    /** The wire id ({@code enum kw_type}). */
    int wireId();

    /** The type's name as results and {@code --work-type} spell it, e.g. {@code FutexFanOut}. */
    default String name() {
        return getClass().getSimpleName();
    }

    /** Parameters in {@code ktstr_work.h} order (empty for types without). */
    default List<Long> params() {
        return List.of();
    }

    /** Sequence phases (empty for every other type). */
    default List<WorkerGroupSpec.Phase> phases() {
        return List.of();
    }

    /** Workers that cooperate as one unit; the worker count must be a multiple of it. */
    default int groupSize() {
        return 1;
    }

    /** A short human form with parameters, e.g. {@code Bursty(50ms/100ms)}. */
    default String describe() {
        List<Long> p = params();
        return p.isEmpty() ? name() : name() + p;
    }

    // ---- name lookup (CLI --work-type, results) ----------------------------------------------------

    /** Every type constructible from a name alone, with its defaults (not Sequence, not Custom). */
    static Map<String, Supplier<WorkType>> byName() {
        Map<String, Supplier<WorkType>> m = new LinkedHashMap<>();
        m.put("CpuSpin", CpuSpin::new);
        m.put("YieldHeavy", YieldHeavy::new);
        m.put("Mixed", Mixed::new);
        m.put("IoSync", IoSync::new);
        m.put("Bursty", Bursty::defaults);
        m.put("PipeIo", PipeIo::defaults);
        m.put("FutexPingPong", FutexPingPong::defaults);
        m.put("CachePressure", CachePressure::defaults);
        m.put("CacheYield", CacheYield::defaults);
        m.put("CachePipe", CachePipe::defaults);
        m.put("FutexFanOut", FutexFanOut::defaults);
        m.put("FanOutCompute", FanOutCompute::defaults);
        m.put("ForkExit", ForkExit::new);
        m.put("NiceSweep", NiceSweep::new);
        m.put("AffinityChurn", AffinityChurn::defaults);
        m.put("PolicyChurn", PolicyChurn::defaults);
        m.put("PageFaultChurn", PageFaultChurn::defaults);
        m.put("MutexContention", MutexContention::defaults);
        return m;
    }

    /**
     * The type called {@code name} with its defaults; case, {@code _} and {@code -} are ignored
     * ({@code cpu_spin}, {@code CpuSpin}, {@code cpu-spin}); {@code SpinWait} and {@code IoSyncWrite}
     * are accepted as aliases.
     */
    static Optional<WorkType> fromName(String name) {
        String key = normalize(name);
        if (key.equals("spinwait")) {
            key = "cpuspin";
        } else if (key.equals("iosyncwrite")) {
            key = "iosync";
        }
        for (Map.Entry<String, Supplier<WorkType>> e : byName().entrySet()) {
            if (normalize(e.getKey()).equals(key)) {
                return Optional.of(e.getValue().get());
            }
        }
        return Optional.empty();
    }

    /** Like {@link #fromName} but an unknown name is an error listing the known ones. */
    static WorkType parse(String name) {
        return fromName(name).orElseThrow(() -> new IllegalArgumentException("unknown work type '" + name + "'"
                + DidYouMean.hint(name, byName().keySet()) + "; known: " + String.join(", ", byName().keySet())));
    }

    private static String normalize(String s) {
        return s.replace("_", "").replace("-", "").toLowerCase(Locale.ROOT).trim();
    }

    private static long positive(String what, long v) {
        if (v < 1) {
            throw new IllegalArgumentException(what + " must be at least 1 (0 means \"default\" on the wire), got " + v);
        }
        return v;
    }

    // ---- the types ----------------------------------------------------------------------------------

    /** {@code spin_burst(1024)} per iteration. */
    record CpuSpin() implements WorkType {
        @Override
        public int wireId() {
            return 1;
        }
    }

    /** One work unit, then {@code sched_yield}. */
    record YieldHeavy() implements WorkType {
        @Override
        public int wireId() {
            return 2;
        }
    }

    /** {@code spin_burst(1024)} then {@code sched_yield}. */
    record Mixed() implements WorkType {
        @Override
        public int wireId() {
            return 3;
        }
    }

    /** Truncate a temp file, 16 × 4 KiB writes, sleep 100 µs (latency sample). */
    record IoSync() implements WorkType {
        @Override
        public int wireId() {
            return 4;
        }
    }

    /** Spin for {@code burst}, then sleep for {@code sleep} (latency sample). Whole milliseconds. */
    record Bursty(Duration burst, Duration sleep) implements WorkType {
        public Bursty {
            positive("Bursty burst (ms)", burst.toMillis());
            positive("Bursty sleep (ms)", sleep.toMillis());
        }

        public static Bursty defaults() {
            return new Bursty(Duration.ofMillis(50), Duration.ofMillis(100));
        }

        public static Bursty ms(long burstMs, long sleepMs) {
            return new Bursty(Duration.ofMillis(burstMs), Duration.ofMillis(sleepMs));
        }

        @Override
        public int wireId() {
            return 5;
        }

        @Override
        public List<Long> params() {
            return List.of(burst.toMillis(), sleep.toMillis());
        }

        @Override
        public String describe() {
            return "Bursty(" + burst.toMillis() + "ms/" + sleep.toMillis() + "ms)";
        }
    }

    /** Spin {@code burstIters}, write a byte to the partner, poll and read one back (sample). Pairs. */
    record PipeIo(long burstIters) implements WorkType {
        public PipeIo {
            positive("PipeIo burstIters", burstIters);
        }

        public static PipeIo defaults() {
            return new PipeIo(1024);
        }

        @Override
        public int wireId() {
            return 6;
        }

        @Override
        public List<Long> params() {
            return List.of(burstIters);
        }

        @Override
        public int groupSize() {
            return 2;
        }
    }

    /** Spin, wake the partner through a futex, wait for its wake (sample). Pairs. */
    record FutexPingPong(long spinIters) implements WorkType {
        public FutexPingPong {
            positive("FutexPingPong spinIters", spinIters);
        }

        public static FutexPingPong defaults() {
            return new FutexPingPong(1024);
        }

        @Override
        public int wireId() {
            return 7;
        }

        @Override
        public List<Long> params() {
            return List.of(spinIters);
        }

        @Override
        public int groupSize() {
            return 2;
        }
    }

    /** Read-modify-write over a private {@code sizeKb} buffer, 1024 steps of {@code stride} bytes. */
    record CachePressure(long sizeKb, long stride) implements WorkType {
        public CachePressure {
            positive("CachePressure sizeKb", sizeKb);
            positive("CachePressure stride", stride);
        }

        public static CachePressure defaults() {
            return new CachePressure(32, 64);
        }

        @Override
        public int wireId() {
            return 9;
        }

        @Override
        public List<Long> params() {
            return List.of(sizeKb, stride);
        }
    }

    /** As {@link CachePressure}, then {@code sched_yield} (sample). */
    record CacheYield(long sizeKb, long stride) implements WorkType {
        public CacheYield {
            positive("CacheYield sizeKb", sizeKb);
            positive("CacheYield stride", stride);
        }

        public static CacheYield defaults() {
            return new CacheYield(32, 64);
        }

        @Override
        public int wireId() {
            return 10;
        }

        @Override
        public List<Long> params() {
            return List.of(sizeKb, stride);
        }
    }

    /** Cache read-modify-write for {@code burstIters}, then a pipe exchange with the partner (sample). Pairs. */
    record CachePipe(long sizeKb, long burstIters) implements WorkType {
        public CachePipe {
            positive("CachePipe sizeKb", sizeKb);
            positive("CachePipe burstIters", burstIters);
        }

        public static CachePipe defaults() {
            return new CachePipe(32, 1024);
        }

        @Override
        public int wireId() {
            return 11;
        }

        @Override
        public List<Long> params() {
            return List.of(sizeKb, burstIters);
        }

        @Override
        public int groupSize() {
            return 2;
        }
    }

    /** A messenger wakes {@code fanOut} receivers through a futex generation bump (sample). Groups of fanOut+1. */
    record FutexFanOut(long fanOut, long spinIters) implements WorkType {
        public FutexFanOut {
            positive("FutexFanOut fanOut", fanOut);
            positive("FutexFanOut spinIters", spinIters);
        }

        public static FutexFanOut defaults() {
            return new FutexFanOut(4, 1024);
        }

        @Override
        public int wireId() {
            return 8;
        }

        @Override
        public List<Long> params() {
            return List.of(fanOut, spinIters);
        }

        @Override
        public int groupSize() {
            return Math.toIntExact(fanOut + 1);
        }
    }

    /**
     * A messenger stamps the time and wakes {@code fanOut} workers, which measure the wake latency,
     * sleep {@code sleepUsec}, then do {@code operations} matrix multiplications sized to
     * {@code cacheFootprintKb}. Groups of fanOut+1.
     */
    record FanOutCompute(long fanOut, long cacheFootprintKb, long operations, long sleepUsec) implements WorkType {
        public FanOutCompute {
            positive("FanOutCompute fanOut", fanOut);
            positive("FanOutCompute cacheFootprintKb", cacheFootprintKb);
            positive("FanOutCompute operations", operations);
            positive("FanOutCompute sleepUsec", sleepUsec);
        }

        public static FanOutCompute defaults() {
            return new FanOutCompute(4, 256, 5, 100);
        }

        @Override
        public int wireId() {
            return 17;
        }

        @Override
        public List<Long> params() {
            return List.of(fanOut, cacheFootprintKb, operations, sleepUsec);
        }

        @Override
        public int groupSize() {
            return Math.toIntExact(fanOut + 1);
        }
    }

    /** Runs its phases in order, repeatedly: spin, sleep, yield or I/O for a duration each. */
    record Sequence(Phase first, List<Phase> rest) implements WorkType {
        /** The agent's limit ({@code KW_MAX_PHASES}). */
        public static final int MAX_PHASES = 32;

        public Sequence {
            Objects.requireNonNull(first, "first");
            rest = List.copyOf(rest);
            if (rest.size() + 1 > MAX_PHASES) {
                throw new IllegalArgumentException(
                        "a Sequence has at most " + MAX_PHASES + " phases, got " + (rest.size() + 1));
            }
        }

        /** A sequence of these phases; at least one. */
        public static Sequence of(List<Phase> phases) {
            if (phases.isEmpty()) {
                throw new IllegalArgumentException("a Sequence needs at least one phase");
            }
            return new Sequence(phases.get(0), phases.subList(1, phases.size()));
        }

        public static Sequence of(Phase... phases) {
            return of(List.of(phases));
        }

        /** All phases in order. */
        public List<Phase> all() {
            List<Phase> all = new ArrayList<>(rest.size() + 1);
            all.add(first);
            all.addAll(rest);
            return all;
        }

        @Override
        public int wireId() {
            return 12;
        }

        @Override
        public List<WorkerGroupSpec.Phase> phases() {
            return all().stream().map(p -> new WorkerGroupSpec.Phase(p.kind(), p.duration().toNanos())).toList();
        }

        @Override
        public String describe() {
            return "Sequence" + all().stream().map(Phase::describe).toList();
        }
    }

    /** {@code fork}; the child exits at once; the parent waits for it (sample). */
    record ForkExit() implements WorkType {
        @Override
        public int wireId() {
            return 13;
        }
    }

    /** Spin, step to the next nice value, yield (sample); nice is reset at the end. */
    record NiceSweep() implements WorkType {
        @Override
        public int wireId() {
            return 14;
        }
    }

    /** Spin, pin itself to one random CPU of its initial mask, yield (sample). */
    record AffinityChurn(long spinIters) implements WorkType {
        public AffinityChurn {
            positive("AffinityChurn spinIters", spinIters);
        }

        public static AffinityChurn defaults() {
            return new AffinityChurn(1024);
        }

        @Override
        public int wireId() {
            return 15;
        }

        @Override
        public List<Long> params() {
            return List.of(spinIters);
        }
    }

    /** Spin, cycle its own policy OTHER→BATCH→IDLE (→FIFO→RR when permitted), yield (sample). */
    record PolicyChurn(long spinIters) implements WorkType {
        public PolicyChurn {
            positive("PolicyChurn spinIters", spinIters);
        }

        public static PolicyChurn defaults() {
            return new PolicyChurn(1024);
        }

        @Override
        public int wireId() {
            return 16;
        }

        @Override
        public List<Long> params() {
            return List.of(spinIters);
        }
    }

    /** Touch random pages of a private mapping, drop them with MADV_DONTNEED, spin. */
    record PageFaultChurn(long regionKb, long touchesPerCycle, long spinIters) implements WorkType {
        public PageFaultChurn {
            positive("PageFaultChurn regionKb", regionKb);
            positive("PageFaultChurn touchesPerCycle", touchesPerCycle);
            positive("PageFaultChurn spinIters", spinIters);
        }

        public static PageFaultChurn defaults() {
            return new PageFaultChurn(4096, 256, 64);
        }

        @Override
        public int wireId() {
            return 18;
        }

        @Override
        public List<Long> params() {
            return List.of(regionKb, touchesPerCycle, spinIters);
        }
    }

    /** Contend for one futex-based lock: work, acquire (sample), hold, release. Groups of {@code contenders}. */
    record MutexContention(long contenders, long holdIters, long workIters) implements WorkType {
        public MutexContention {
            positive("MutexContention contenders", contenders);
            positive("MutexContention holdIters", holdIters);
            positive("MutexContention workIters", workIters);
        }

        public static MutexContention defaults() {
            return new MutexContention(4, 256, 1024);
        }

        @Override
        public int wireId() {
            return 19;
        }

        @Override
        public List<Long> params() {
            return List.of(contenders, holdIters, workIters);
        }

        @Override
        public int groupSize() {
            return Math.toIntExact(contenders);
        }
    }

    /**
     * A program the user supplies, run as each worker after the start gate (the agent {@code exec}s
     * it). The program is a host path; the runner ships it into the guest. No framework telemetry
     * beyond what the agent sees from outside (CPU time, schedstat, exit status), so the progress
     * checks do not apply to it.
     *
     * @param label    a name for results
     * @param program  the executable on the host
     * @param args     its arguments
     */
    record Custom(String label, Path program, List<String> args) implements WorkType {
        public Custom {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(program, "program");
            args = List.copyOf(args);
        }

        public static Custom of(Path program, String... args) {
            return new Custom(program.getFileName().toString(), program, List.of(args));
        }

        @Override
        public int wireId() {
            return 20;
        }

        @Override
        public String name() {
            return "Custom";
        }

        @Override
        public String describe() {
            return "Custom(" + label + ")";
        }

        /** Problems with the program on this host (missing, not a file, not executable). */
        public List<String> problems() {
            if (!Files.exists(program)) {
                return List.of("custom work program " + program + " does not exist");
            }
            if (!Files.isRegularFile(program)) {
                return List.of("custom work program " + program + " is not a regular file");
            }
            if (!Files.isExecutable(program)) {
                return List.of("custom work program " + program + " is not executable (chmod +x)");
            }
            return List.of();
        }
    }

    /** One phase of a {@link Sequence}; durations are positive. */
    sealed interface Phase {
        /** The wire kind ({@code enum kw_phase_kind}). */
        int kind();

        Duration duration();

        default String describe() {
            return getClass().getSimpleName() + "(" + duration().toMillis() + "ms)";
        }

        static Phase spin(Duration d) {
            return new Spin(d);
        }

        static Phase sleep(Duration d) {
            return new Sleep(d);
        }

        static Phase yield(Duration d) {
            return new Yield(d);
        }

        static Phase io(Duration d) {
            return new Io(d);
        }

        private static Duration checked(Duration d) {
            Objects.requireNonNull(d, "duration");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("a Sequence phase needs a positive duration, got " + d);
            }
            return d;
        }

        /** Spin for the duration. */
        record Spin(Duration duration) implements Phase {
            public Spin {
                checked(duration);
            }

            @Override
            public int kind() {
                return 1;
            }
        }

        /** Sleep for the duration; a completed sleep is one work unit. */
        record Sleep(Duration duration) implements Phase {
            public Sleep {
                checked(duration);
            }

            @Override
            public int kind() {
                return 2;
            }
        }

        /** Yield repeatedly for the duration. */
        record Yield(Duration duration) implements Phase {
            public Yield {
                checked(duration);
            }

            @Override
            public int kind() {
                return 3;
            }
        }

        /** 64 KiB writes and 100 µs sleeps for the duration. */
        record Io(Duration duration) implements Phase {
            public Io {
                checked(duration);
            }

            @Override
            public int kind() {
                return 4;
            }
        }
    }
}

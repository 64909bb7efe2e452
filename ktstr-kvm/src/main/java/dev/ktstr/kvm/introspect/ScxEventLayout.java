package dev.ktstr.kvm.introspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the sched_ext event counters ({@code struct scx_event_stats}, kernel/sched/ext_internal.h:
 * one {@code s64} per {@code SCX_EV_*} event, per CPU) live for the root scheduler instance
 * {@code scx_root}. Two kernel layouts exist:
 * <ul>
 *   <li>6.18+ (and 6.17.7+): {@code scx_sched.pcpu} is a per-CPU {@code struct scx_sched_pcpu} whose
 *       {@code event_stats} member holds the counters ({@link PerSchedPcpu});</li>
 *   <li>6.16–6.17: {@code scx_sched.event_stats_cpu} is a per-CPU {@code struct scx_event_stats}
 *       ({@link EventStatsCpu}).</li>
 * </ul>
 * Any other kernel gives {@link Unavailable} with the reason; nothing is guessed.
 */
public sealed interface ScxEventLayout {

    /** {@code select_cpu_fallback}: ops.select_cpu() picked a CPU the task cannot run on. */
    String SELECT_CPU_FALLBACK = "select_cpu_fallback";
    /** {@code dispatch_keep_last}: the previous task kept running because nothing was dispatched. */
    String DISPATCH_KEEP_LAST = "dispatch_keep_last";

    /** The counters, in struct order (empty for {@link Unavailable}). */
    List<Counter> counters();

    /** Bytes of {@code struct scx_event_stats} (0 when unavailable). */
    long statsSize();

    /**
     * One counter.
     *
     * @param name  the {@code SCX_EV_} member name in lower case without the prefix
     * @param field its place inside {@code struct scx_event_stats}
     */
    record Counter(String name, ScalarField field) {}

    /** 6.18+: {@code per_cpu_ptr(sch->pcpu, cpu)->event_stats}. */
    record PerSchedPcpu(ScalarField pcpu, long eventStatsOffset, long statsSize, List<Counter> counters)
            implements ScxEventLayout {
        public PerSchedPcpu {
            counters = List.copyOf(counters);
        }
    }

    /** 6.16–6.17: {@code per_cpu_ptr(sch->event_stats_cpu, cpu)}. */
    record EventStatsCpu(ScalarField eventStatsCpu, long statsSize, List<Counter> counters) implements ScxEventLayout {
        public EventStatsCpu {
            counters = List.copyOf(counters);
        }
    }

    /** The kernel has neither layout. */
    record Unavailable(String reason) implements ScxEventLayout {
        @Override
        public List<Counter> counters() {
            return List.of();
        }

        @Override
        public long statsSize() {
            return 0;
        }
    }

    /** Recognises the layout of this kernel's BTF. */
    static ScxEventLayout resolve(Btf btf) {
        Optional<BtfType.Composite> stats = btf.findStruct("scx_event_stats");
        if (btf.findStruct("scx_sched").isEmpty()) {
            return new Unavailable("no struct scx_sched in BTF (kernel without sched_ext, or older than 6.16)");
        }
        if (stats.isEmpty()) {
            return new Unavailable("no struct scx_event_stats in BTF (sched_ext older than 6.16)");
        }
        try {
            List<Counter> counters = new ArrayList<>();
            for (BtfType.Member m : stats.get().members()) {
                if (!m.name().startsWith("SCX_EV_")) {
                    continue;
                }
                ScalarField f = ScalarField.resolve(btf, "scx_event_stats", m.name());
                counters.add(new Counter(m.name().substring("SCX_EV_".length()).toLowerCase(Locale.ROOT), f));
            }
            if (counters.isEmpty()) {
                return new Unavailable("struct scx_event_stats has no SCX_EV_* members");
            }
            long size = stats.get().size();
            if (btf.findField("scx_sched", "pcpu").isPresent()
                    && btf.findField("scx_sched_pcpu", "event_stats").isPresent()) {
                FieldLocation es = btf.field("scx_sched_pcpu", "event_stats");
                if (!"scx_event_stats".equals(btf.resolved(es.type()).name())) {
                    return new Unavailable("scx_sched_pcpu.event_stats is " + btf.describe(es.type())
                            + ", not struct scx_event_stats");
                }
                return new PerSchedPcpu(pointer(btf, "pcpu"), es.byteOffset(), size, counters);
            }
            if (btf.findField("scx_sched", "event_stats_cpu").isPresent()) {
                return new EventStatsCpu(pointer(btf, "event_stats_cpu"), size, counters);
            }
            return new Unavailable("struct scx_sched has neither pcpu (6.18+) nor event_stats_cpu (6.16-6.17)");
        } catch (IntrospectException e) {
            return new Unavailable(e.getMessage());
        }
    }

    private static ScalarField pointer(Btf btf, String member) throws IntrospectException {
        FieldLocation loc = btf.field("scx_sched", member);
        if (btf.resolved(loc.type()).kind() != BtfKind.PTR) {
            throw new IntrospectException("scx_sched." + member + " is " + btf.describe(loc.type()) + ", not a pointer");
        }
        return ScalarField.of(btf, loc);
    }

    /**
     * The kernel address of CPU {@code cpu}'s counters for the scheduler instance at {@code sched}.
     *
     * @throws IntrospectException for {@link Unavailable}, or when the per-CPU pointer is null
     */
    default long statsAddress(KernelView kernel, long sched, int cpu) throws IntrospectException {
        if (this instanceof PerSchedPcpu p) {
            long base = p.pcpu().read(kernel, sched);
            if (base == 0) {
                throw new IntrospectException("scx_sched 0x" + Long.toHexString(sched) + " has a null pcpu pointer");
            }
            return kernel.perCpu(base, cpu) + p.eventStatsOffset();
        }
        if (this instanceof EventStatsCpu e) {
            long base = e.eventStatsCpu().read(kernel, sched);
            if (base == 0) {
                throw new IntrospectException("scx_sched 0x" + Long.toHexString(sched)
                        + " has a null event_stats_cpu pointer");
            }
            return kernel.perCpu(base, cpu);
        }
        throw new IntrospectException("sched_ext event counters unavailable: " + ((Unavailable) this).reason());
    }
}

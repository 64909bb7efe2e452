package dev.ktstr.runtime.scenario;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One phase of a scenario (ktstr facts §7 {@code Step}): apply {@link #ops()}, then set up the
 * step's cgroups, then hold. Under a {@link HoldSpec.Loop} the setup runs once first and the ops
 * repeat every interval. Everything the step creates is torn down when it ends, and its workers'
 * reports are collected and checked then.
 *
 * @param setup  the step's cgroups: a fixed list, or a factory of the run's environment
 * @param ops    operations applied first (in order)
 * @param hold   how long the step lasts
 */
public record Step(Setup setup, List<Op> ops, HoldSpec hold) {

    public Step {
        Objects.requireNonNull(setup, "setup");
        ops = List.copyOf(ops);
        Objects.requireNonNull(hold, "hold");
    }

    /** Ops only (ktstr {@code Step::new}). */
    public static Step of(List<Op> ops, HoldSpec hold) {
        return new Step(Setup.NONE, ops, hold);
    }

    /** Ops only. */
    public static Step of(HoldSpec hold, Op... ops) {
        return new Step(Setup.NONE, List.of(ops), hold);
    }

    /** A pure hold: nothing happens, the running workers keep running. */
    public static Step hold(HoldSpec hold) {
        return new Step(Setup.NONE, List.of(), hold);
    }

    /** Cgroups with workers (ktstr {@code Step::with_defs}). */
    public static Step withDefs(List<CgroupDef> defs, HoldSpec hold) {
        return new Step(new Setup.Defs(defs), List.of(), hold);
    }

    /** Cgroups with workers. */
    public static Step withDefs(HoldSpec hold, CgroupDef... defs) {
        return withDefs(List.of(defs), hold);
    }

    /** Cgroups computed from the environment at run time (e.g. one per CPU). */
    public static Step withFactory(String description, Function<ScenarioEnv, List<CgroupDef>> factory, HoldSpec hold) {
        return new Step(new Setup.Factory(description, factory), List.of(), hold);
    }

    /** The same step with these ops instead of its own (replaces, does not append). */
    public Step setOps(List<Op> newOps) {
        return new Step(setup, newOps, hold);
    }

    /** The same step with these ops instead of its own. */
    public Step setOps(Op... newOps) {
        return setOps(List.of(newOps));
    }

    /** The same step with another hold. */
    public Step setHold(HoldSpec newHold) {
        return new Step(setup, ops, newHold);
    }

    /** Where a step's cgroups come from. */
    public sealed interface Setup {

        /** No cgroups. */
        Setup NONE = new Defs(List.of());

        /** The definitions for this environment. */
        List<CgroupDef> defs(ScenarioEnv env);

        /** A short human form. */
        String describe();

        /** A fixed list. */
        record Defs(List<CgroupDef> defs) implements Setup {
            public Defs {
                defs = List.copyOf(defs);
            }

            @Override
            public List<CgroupDef> defs(ScenarioEnv env) {
                return defs;
            }

            @Override
            public String describe() {
                return defs.stream().map(CgroupDef::describe).toList().toString();
            }
        }

        /**
         * Computed from the environment when the step starts.
         *
         * @param description  what it builds, for listings
         * @param factory      the computation
         */
        record Factory(String description, Function<ScenarioEnv, List<CgroupDef>> factory) implements Setup {
            public Factory {
                Objects.requireNonNull(description, "description");
                Objects.requireNonNull(factory, "factory");
            }

            @Override
            public List<CgroupDef> defs(ScenarioEnv env) {
                return List.copyOf(factory.apply(env));
            }

            @Override
            public String describe() {
                return description;
            }
        }
    }
}

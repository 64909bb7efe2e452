package dev.ktstr.runtime.scenario;

import dev.ktstr.topology.Topology;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A topology a scenario needs to mean anything (e.g. two LLCs to test cross-LLC behaviour). On a
 * topology that fails it the scenario is skipped with {@link #reason()}, not failed.
 *
 * @param reason  why, e.g. {@code need >= 2 LLCs}
 * @param test    whether a topology qualifies
 */
public record Requirement(String reason, Predicate<Topology> test) {

    public Requirement {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(test, "test");
    }

    public static Requirement minCpus(int n) {
        return new Requirement("need >= " + n + " CPUs", t -> t.totalCpus() >= n);
    }

    public static Requirement minLlcs(int n) {
        return new Requirement("need >= " + n + " LLCs", t -> t.llcs() >= n);
    }

    public static Requirement minNumaNodes(int n) {
        return new Requirement("need >= " + n + " NUMA nodes", t -> t.numaNodes() >= n);
    }

    public static Requirement minCpusPerLlc(int n) {
        return new Requirement("need >= " + n + " CPUs per LLC", t -> t.cpusPerLlc() >= n);
    }

    public boolean satisfiedBy(Topology topology) {
        return test.test(topology);
    }
}

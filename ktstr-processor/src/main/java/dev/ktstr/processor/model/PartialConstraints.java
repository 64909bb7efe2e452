package dev.ktstr.processor.model;

import dev.ktstr.topology.TopologyConstraints;

/**
 * Gauntlet constraints as one annotation states them: each bound is a positive number or
 * {@link #UNSET}. {@link #over(PartialConstraints)} layers a test's bounds over its scheduler's, and
 * {@link #resolve()} fills what is still unset from {@link TopologyConstraints#DEFAULT}.
 */
public record PartialConstraints(
        int minNumaNodes, int maxNumaNodes, int minLlcs, int maxLlcs, int minCpus, int maxCpus, boolean requiresSmt) {

    /** The annotations' "not set here" value ({@code KtstrTest.INHERIT}). */
    public static final int UNSET = -1;

    public static final PartialConstraints NONE =
            new PartialConstraints(UNSET, UNSET, UNSET, UNSET, UNSET, UNSET, false);

    /** These bounds where set, {@code fallback}'s elsewhere; SMT is required if either requires it. */
    public PartialConstraints over(PartialConstraints fallback) {
        return new PartialConstraints(
                pick(minNumaNodes, fallback.minNumaNodes), pick(maxNumaNodes, fallback.maxNumaNodes),
                pick(minLlcs, fallback.minLlcs), pick(maxLlcs, fallback.maxLlcs),
                pick(minCpus, fallback.minCpus), pick(maxCpus, fallback.maxCpus),
                requiresSmt || fallback.requiresSmt);
    }

    /** The complete constraints, defaults filling the unset bounds; throws if they contradict. */
    public TopologyConstraints resolve() {
        TopologyConstraints d = TopologyConstraints.DEFAULT;
        return new TopologyConstraints(
                pick(minNumaNodes, d.minNumaNodes()), pick(maxNumaNodes, d.maxNumaNodes()),
                pick(minLlcs, d.minLlcs()), pick(maxLlcs, d.maxLlcs()),
                pick(minCpus, d.minCpus()), pick(maxCpus, d.maxCpus()),
                requiresSmt);
    }

    private static int pick(int value, int fallback) {
        return value == UNSET ? fallback : value;
    }
}

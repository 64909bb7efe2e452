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

    /** {@link TopologyConstraints#DEFAULT} as a layer. */
    public static final PartialConstraints DEFAULTS = of(TopologyConstraints.DEFAULT);

    public static PartialConstraints of(TopologyConstraints c) {
        return new PartialConstraints(c.minNumaNodes(), c.maxNumaNodes(), c.minLlcs(), c.maxLlcs(), c.minCpus(),
                c.maxCpus(), c.requiresSmt());
    }

    /** A bound by its annotation attribute name ({@code "minLlcs"}, …). */
    public int get(String attribute) {
        return switch (attribute) {
            case "minNumaNodes" -> minNumaNodes;
            case "maxNumaNodes" -> maxNumaNodes;
            case "minLlcs" -> minLlcs;
            case "maxLlcs" -> maxLlcs;
            case "minCpus" -> minCpus;
            case "maxCpus" -> maxCpus;
            default -> throw new IllegalArgumentException("no constraint attribute " + attribute);
        };
    }

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
        PartialConstraints c = over(DEFAULTS);
        return new TopologyConstraints(c.minNumaNodes, c.maxNumaNodes, c.minLlcs, c.maxLlcs, c.minCpus, c.maxCpus,
                c.requiresSmt);
    }

    private static int pick(int value, int fallback) {
        return value == UNSET ? fallback : value;
    }
}

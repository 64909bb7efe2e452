package dev.ktstr.topology;

/**
 * A named gauntlet machine shape.
 *
 * @param name      stable name used in test names and tags, e.g. {@code smt-2llc}
 * @param topology  the shape
 * @param arm64     whether the preset also exists on aarch64 (no SMT presets there)
 */
public record Preset(String name, Topology topology, boolean arm64) {

    /** Guest memory for a gauntlet VM of this preset: {@code max(cpus*64, 256, requested)} MiB. */
    public long memoryMb(long requestedMb) {
        return Math.max(Math.max(topology.totalCpus() * 64L, 256L), requestedMb);
    }
}

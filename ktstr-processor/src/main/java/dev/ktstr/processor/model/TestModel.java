package dev.ktstr.processor.model;

import dev.ktstr.topology.Topology;
import dev.ktstr.topology.TopologyConstraints;
import java.util.List;

/**
 * A validated {@code @KtstrTest} method with every inherited value resolved.
 *
 * @param testClass        the declaring class
 * @param method           the method name; also the test's name in variant ids
 * @param isStatic         whether the method is static (called on the class, not a new instance)
 * @param scheduler        the scheduler whose flags it expands over
 * @param topology         the base test's topology (test attributes over the scheduler's)
 * @param memoryMb         the requested guest memory
 * @param constraints      the gauntlet constraints (test over scheduler over defaults)
 * @param requiredFlags    flag names present in every profile, in declaration order
 * @param excludedFlags    flag names absent from every profile, in declaration order
 * @param durationS        scenario duration
 * @param workersPerCgroup default workers per cgroup
 * @param performanceMode  whether it runs in performance mode
 * @param hostOnly         whether it runs on the host without a VM
 * @param expectErr        the expected failure's name ({@code NONE} when it must pass)
 */
public record TestModel(
        TestClassRef testClass, String method, boolean isStatic, SchedulerModel scheduler, Topology topology,
        long memoryMb, TopologyConstraints constraints, List<String> requiredFlags, List<String> excludedFlags,
        int durationS, int workersPerCgroup, boolean performanceMode, boolean hostOnly, String expectErr) {

    public TestModel {
        requiredFlags = List.copyOf(requiredFlags);
        excludedFlags = List.copyOf(excludedFlags);
    }
}

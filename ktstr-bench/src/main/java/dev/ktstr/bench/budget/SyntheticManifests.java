package dev.ktstr.bench.budget;

import dev.ktstr.processor.generate.ManifestRenderer;
import dev.ktstr.processor.model.ClassPlan;
import dev.ktstr.processor.model.FlagDecl;
import dev.ktstr.processor.model.PartialConstraints;
import dev.ktstr.processor.model.SchedulerModel;
import dev.ktstr.processor.model.TestClassRef;
import dev.ktstr.processor.model.TestModel;
import dev.ktstr.topology.Topology;
import dev.ktstr.topology.TopologyConstraints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real manifests of a big synthetic gauntlet, rendered by the processor's own model and renderer:
 * four schedulers of 8 independent flags (256 profiles each), 200 tests in 20 classes, each test on two
 * presets, so 200 × (1 + 2 × 256) = 102,600 variants with the processor's real costs and features.
 */
final class SyntheticManifests {

    /** Constraint sets that each accept exactly two presets. */
    private static final List<TopologyConstraints> TWO_PRESETS = List.of(
            new TopologyConstraints(1, 1, 1, 2, 1, 4, false),
            new TopologyConstraints(1, 1, 3, 3, 1, 192, false),
            new TopologyConstraints(1, 1, 5, 7, 1, 192, false),
            new TopologyConstraints(1, 1, 4, 4, 32, 32, false),
            new TopologyConstraints(1, 1, 8, 8, 64, 64, false),
            new TopologyConstraints(1, 1, 4, 4, 128, 128, false),
            new TopologyConstraints(1, 1, 8, 8, 128, 128, false),
            new TopologyConstraints(2, 2, 8, 8, 128, 128, false));

    private SyntheticManifests() {}

    /** Writes the manifests under {@code root/META-INF/ktstr/variants/}; returns the variant count. */
    static int write(Path root, int classes, int testsPerClass) throws IOException {
        Path dir = root.resolve(ManifestRenderer.DIRECTORY);
        Files.createDirectories(dir);
        List<SchedulerModel> schedulers = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            List<FlagDecl> flags = new ArrayList<>();
            for (int f = 0; f < 8; f++) {
                flags.add(new FlagDecl("F" + f, "f" + f, List.of("--f" + f), List.of()));
            }
            schedulers.add(new SchedulerModel("bench.S" + s, "sched" + s, "scx_s" + s, new Topology(1, 2, 2, 1),
                    PartialConstraints.NONE, flags));
        }
        int total = 0;
        for (int c = 0; c < classes; c++) {
            TestClassRef ref = new TestClassRef("bench", List.of("Suite" + c + "Test"), "bench.Suite" + c + "Test", false);
            List<TestModel> tests = new ArrayList<>();
            for (int m = 0; m < testsPerClass; m++) {
                int n = c * testsPerClass + m;
                tests.add(new TestModel(ref, "case" + m, false, schedulers.get(n % 4), new Topology(1, 2, 2, 1), 2048,
                        TWO_PRESETS.get(n % TWO_PRESETS.size()), List.of(), List.of(), 1 + n % 12, 2 + n % 3, n % 10 == 0,
                        false, "NONE"));
            }
            ClassPlan plan = ClassPlan.of(ref, tests);
            total += plan.all().size();
            Files.writeString(root.resolve(ManifestRenderer.resourceName(plan)), ManifestRenderer.render(plan));
        }
        return total;
    }
}

package dev.ktstr.processor.generate;

import dev.ktstr.processor.model.ClassPlan;
import dev.ktstr.processor.model.PlannedTest;
import dev.ktstr.processor.model.TestModel;
import dev.ktstr.processor.model.VariantModel;
import dev.ktstr.topology.Topology;

/**
 * Renders the variant manifest of one test class: a JSON resource at
 * {@code META-INF/ktstr/variants/<binary class name>.json} that lists every generated variant with
 * where it is generated and what budget selection and sharding weigh (its cost and features). The
 * runtime reads every manifest on the classpath; the schema is versioned by {@link #SCHEMA}.
 *
 * <pre>{@code
 * {"schema":1,"testClass":"a.b.T","variants":[
 * {"id":"gauntlet/t/tiny-1llc/llc","testClass":"a.b.T","test":"t","generatedClass":"a.b.T_KtstrIT",
 *  "generatedMethod":"t__tiny_1llc__llc","hostOnly":false,"preset":"tiny-1llc",
 *  "topology":{"numaNodes":1,"llcs":1,"coresPerLlc":4,"threadsPerCore":1,"cpus":4},"memoryMb":2048,
 *  "scheduler":"demo","schedulerClass":"a.b.DemoFlag","flags":["llc"],"durationS":2,
 *  "workersPerCgroup":2,"performanceMode":false,"expectErr":"NONE","costSecs":4.82,
 *  "features":["cpus:1-8", ...]}
 * ]}
 * }</pre>
 * (each variant is one line in the file).
 */
public final class ManifestRenderer {

    public static final int SCHEMA = 1;
    public static final String DIRECTORY = "META-INF/ktstr/variants/";

    private ManifestRenderer() {}

    /** The resource path of a test class's manifest. */
    public static String resourceName(ClassPlan plan) {
        return DIRECTORY + plan.testClass().binaryName() + ".json";
    }

    public static String render(ClassPlan plan) {
        JsonWriter w = new JsonWriter().beginObject()
                .field("schema", SCHEMA)
                .field("testClass", plan.testClass().binaryName())
                .beginArray("variants")
                .newline();
        for (PlannedTest p : plan.all()) {
            variant(w, p);
            w.newline();
        }
        return w.endArray().endObject().newline().toString();
    }

    private static void variant(JsonWriter w, PlannedTest p) {
        VariantModel v = p.variant();
        TestModel t = v.test();
        Topology topo = v.topology();
        w.beginObject()
                .field("id", v.id())
                .field("testClass", t.testClass().binaryName())
                .field("test", t.method())
                .field("generatedClass", p.generatedClass())
                .field("generatedMethod", p.methodName())
                .field("hostOnly", t.hostOnly())
                .field("preset", v.preset())
                .objectField("topology")
                .field("numaNodes", topo.numaNodes())
                .field("llcs", topo.llcs())
                .field("coresPerLlc", topo.coresPerLlc())
                .field("threadsPerCore", topo.threadsPerCore())
                .field("cpus", topo.totalCpus())
                .endObject()
                .field("memoryMb", v.memoryMb())
                .field("scheduler", t.scheduler().name())
                .field("schedulerClass", t.scheduler().className())
                .field("flags", v.flags())
                .field("durationS", t.durationS())
                .field("workersPerCgroup", t.workersPerCgroup())
                .field("performanceMode", t.performanceMode())
                .field("expectErr", t.expectErr())
                .field("costSecs", p.costSecs())
                .field("features", p.features())
                .endObject();
    }
}

package dev.ktstr.bench.processor;

import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;

/**
 * A synthetic test suite: one scheduler with 8 flags in four {@code requires} pairs (each pair gives
 * none, A, or A+B: 3^4 = 81 profiles) and {@code classes × testsPerClass} tests over it, each on one
 * preset ({@code maxLlcs = 1}), so every test expands into 1 + 81 = 82 variants.
 */
final class SyntheticSuite {

    static final int PROFILES = 81;

    private SyntheticSuite() {}

    static List<JavaFileObject> sources(int classes, int testsPerClass) {
        List<JavaFileObject> out = new ArrayList<>();
        StringBuilder s = new StringBuilder("package bench;\nimport dev.ktstr.annotations.*;\n"
                + "@Scheduler(name = \"bench\", binary = \"scx_bench\", topology = @Topology(llcs = 2, cores = 2))\n"
                + "public enum BenchFlag {\n");
        for (int i = 0; i < 8; i++) {
            String requires = i % 2 == 1 ? ", requires = \"F" + (i - 1) + "\"" : "";
            s.append("    @Flag(args = \"--f").append(i).append('"').append(requires).append(") F").append(i)
                    .append(i < 7 ? ",\n" : "\n");
        }
        s.append("}\n");
        out.add(source("bench.BenchFlag", s.toString()));
        for (int c = 0; c < classes; c++) {
            StringBuilder t = new StringBuilder("package bench;\nimport dev.ktstr.annotations.*;\n"
                    + "import dev.ktstr.runtime.Ctx;\nclass Suite" + c + "Test {\n");
            for (int m = 0; m < testsPerClass; m++) {
                t.append("    @KtstrTest(scheduler = BenchFlag.class, maxLlcs = 1, durationS = ").append(1 + m % 5)
                        .append(")\n    void case").append(m).append("(Ctx ctx) { ctx.topology(); }\n");
            }
            t.append("}\n");
            out.add(source("bench.Suite" + c + "Test", t.toString()));
        }
        return out;
    }

    static int variants(int classes, int testsPerClass) {
        return classes * testsPerClass * (1 + PROFILES);
    }

    private static JavaFileObject source(String name, String code) {
        return new SimpleJavaFileObject(java.net.URI.create("string:///" + name.replace('.', '/') + ".java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return code;
            }
        };
    }
}

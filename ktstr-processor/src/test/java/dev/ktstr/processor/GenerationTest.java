package dev.ktstr.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.ktstr.processor.Sources.DEMO_FLAG;
import static dev.ktstr.processor.Sources.compile;
import static dev.ktstr.processor.Sources.generatedSource;
import static dev.ktstr.processor.Sources.resource;
import static dev.ktstr.processor.Sources.source;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

class GenerationTest {

    @Test
    void printsGenerated() {
        Compilation c = compile(DEMO_FLAG, source("DemoTest",
                "class DemoTest {",
                "    @KtstrTest(scheduler = DemoFlag.class, maxLlcs = 2, requiredFlags = \"llc\")",
                "    void mixed(Ctx ctx) {}",
                "    @KtstrTest(hostOnly = true)",
                "    static void probe(Ctx ctx) {}",
                "}"));
        assertThat(c).succeededWithoutWarnings();
        System.out.println(generatedSource(c, "t.DemoTest_KtstrIT"));
        System.out.println(generatedSource(c, "t.DemoTest_KtstrHostTest"));
        System.out.println(resource(c, "META-INF/ktstr/variants/t.DemoTest.json"));
    }
}

package dev.ktstr.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.ktstr.processor.Sources.compileLenient;
import static dev.ktstr.processor.Sources.source;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Code javac itself rejects must get javac's error only: the processor neither crashes nor piles its
 * own errors on top (an unresolved type is javac's to report).
 */
class ResilienceTest {

    private static void onlyJavacErrors(Compilation c) {
        assertThat(c).failed();
        for (Diagnostic<? extends JavaFileObject> d : c.errors()) {
            assertTrue(!d.getMessage(null).contains("[Ktstr"), "unexpected processor error: " + d.getMessage(null));
        }
    }

    @Test
    void unresolvedSchedulerClass() {
        Compilation c = compileLenient(source("T", "class T {", "    @KtstrTest(scheduler = Missing.class)",
                "    void fair(Ctx ctx) {}", "}"));
        onlyJavacErrors(c);
        assertThat(c).hadErrorContaining("cannot find symbol");
    }

    @Test
    void undefinedConstantInAFlagList() {
        Compilation c = compileLenient(source("T", "class T {", "    @KtstrTest(requiredFlags = NOT_DEFINED)",
                "    void fair(Ctx ctx) {}", "}"));
        onlyJavacErrors(c);
    }

    @Test
    void unresolvedParameterType() {
        Compilation c = compileLenient(source("T", "class T {", "    @KtstrTest", "    void fair(Contxt ctx) {}", "}"));
        onlyJavacErrors(c);
        assertThat(c).hadErrorContaining("cannot find symbol");
    }

    @Test
    void undefinedConstantInFlagRequirements() {
        Compilation c = compileLenient(source("S", "@Scheduler(name = \"s\")", "enum S {",
                "    @Flag(args = \"-a\", requires = NOPE) A", "}"));
        onlyJavacErrors(c);
    }

    @Test
    void wrongAttributeType() {
        Compilation c = compileLenient(source("T", "class T {", "    @KtstrTest(llcs = \"two\")",
                "    void fair(Ctx ctx) {}", "}"));
        onlyJavacErrors(c);
    }
}

package dev.ktstr.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.ktstr.processor.Sources.compileLenient;
import static dev.ktstr.processor.Sources.source;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Mistakes that still compile, with the warning on the right line. */
class WarningsTest {

    @Test
    void aFlagWithoutArgumentsChangesNothing() {
        JavaFileObject s = source("S", "@Scheduler(name = \"s\", binary = \"scx_s\")", "enum S {",
                "    @Flag(args = \"-a\") A,", "    B", "}");
        Compilation c = compileLenient(s);
        assertThat(c).succeeded();
        assertThat(c).hadWarningContaining("[KtstrFlagNoArgs] flag 'b' passes no scheduler arguments").inFile(s)
                .onLineContaining("    B");
    }

    @Test
    void vmAttributesOnAHostOnlyTest() {
        JavaFileObject t = source("T", "class T {", "    @KtstrTest(hostOnly = true,", "        llcs = 4)",
                "    void probe(Ctx ctx) {}", "}");
        Compilation c = compileLenient(t);
        assertThat(c).succeeded();
        assertThat(c).hadWarningContaining("[KtstrHostOnlyAttribute] llcs has no effect").inFile(t)
                .onLineContaining("llcs = 4");
    }

    @Test
    void oneTestNameInTwoClasses() {
        JavaFileObject a = source("A", "class A {", "    @KtstrTest(hostOnly = true) void smoke(Ctx ctx) {}", "}");
        JavaFileObject b = source("B", "class B {", "    @KtstrTest(hostOnly = true)", "    void smoke(Ctx ctx) {}", "}");
        Compilation c = compileLenient(a, b);
        assertThat(c).succeeded();
        assertThat(c).hadWarningContaining("[KtstrDuplicateTestName] test name smoke is also used by t.A.smoke")
                .inFile(b).onLineContaining("@KtstrTest(hostOnly = true)");
    }
}

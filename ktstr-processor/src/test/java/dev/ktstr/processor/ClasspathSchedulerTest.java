package dev.ktstr.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.ktstr.processor.Sources.source;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scheduler compiled elsewhere (a library on the classpath) cannot be pointed at, so a test naming
 * a broken one gets the error on its {@code scheduler} value, quoting the scheduler's first problem.
 */
class ClasspathSchedulerTest {

    @Test
    void aBrokenSchedulerFromTheClasspathIsReportedOnTheTest(@TempDir Path lib) {
        JavaFileObject broken = source("Ext", "@Scheduler(name = \"ext\", binary = \"scx_ext\")", "public enum Ext {",
                "    @Flag(args = \"-a\", requires = \"B\") A,", "    @Flag(args = \"-b\", requires = \"A\") B", "}");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        boolean ok = javac.getTask(null, null, null, List.of("-proc:none", "-d", lib.toString()), null, List.of(broken))
                .call();
        assertTrue(ok, "the library compiles without the processor");
        List<File> classpath = new ArrayList<>();
        classpath.add(lib.toFile());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classpath.add(new File(entry));
        }
        JavaFileObject test = source("T", "class T {", "    @KtstrTest(", "        scheduler = Ext.class)",
                "    void fair(Ctx ctx) {}", "}");
        Compilation c = Compiler.javac().withProcessors(new KtstrProcessor()).withClasspath(classpath).compile(test);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("[KtstrInvalidScheduler] scheduler t.Ext is invalid: "
                + "flag requirements form a cycle: a -> b -> a").inFile(test).onLineContaining("scheduler = Ext.class");
    }
}

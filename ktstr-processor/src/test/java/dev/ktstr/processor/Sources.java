package dev.ktstr.processor;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;

/** Test sources and compilation helpers shared by the processor's compile tests. */
final class Sources {

    private Sources() {}

    /** The demo scheduler: ktstr's six built-in flags, {@code steal} requiring {@code llc}. */
    static final JavaFileObject DEMO_FLAG = JavaFileObjects.forSourceLines("t.DemoFlag",
            "package t;",
            "import dev.ktstr.annotations.*;",
            "@Scheduler(name = \"demo\", binary = \"scx_demo\", topology = @Topology(llcs = 2, cores = 2))",
            "public enum DemoFlag {",
            "    @Flag(args = \"--llc\") LLC,",
            "    @Flag(args = \"--borrow\") BORROW,",
            "    @Flag(args = \"--steal\", requires = \"LLC\") STEAL,",
            "    @Flag(args = \"--rebal\") REBAL,",
            "    @Flag(args = \"--reject-pin\") REJECT_PIN,",
            "    @Flag(args = \"--no-ctrl\") NO_CTRL,",
            "}");

    /** A source file {@code t.NAME} with the given lines after the package and imports. */
    static JavaFileObject source(String name, String... lines) {
        String[] all = new String[lines.length + 3];
        all[0] = "package t;";
        all[1] = "import dev.ktstr.annotations.*;";
        all[2] = "import dev.ktstr.runtime.Ctx;";
        System.arraycopy(lines, 0, all, 3, lines.length);
        return JavaFileObjects.forSourceLines("t." + name, all);
    }

    static Compilation compile(JavaFileObject... sources) {
        return Compiler.javac().withProcessors(new KtstrProcessor()).withOptions("-Xlint:all,-processing", "-Werror") // the parent pom's lint set
                .compile(Arrays.asList(sources));
    }

    static Compilation compileLenient(JavaFileObject... sources) {
        return Compiler.javac().withProcessors(new KtstrProcessor()).compile(Arrays.asList(sources));
    }

    /** A generated resource's text. */
    static String resource(Compilation c, String path) {
        JavaFileObject f = c.generatedFile(StandardLocation.CLASS_OUTPUT, "", path).orElseThrow(
                () -> new AssertionError("not generated: " + path));
        try {
            return f.getCharContent(true).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String generatedSource(Compilation c, String qualifiedName) {
        JavaFileObject f = c.generatedSourceFile(qualifiedName).orElseThrow(
                () -> new AssertionError("not generated: " + qualifiedName));
        try {
            return f.getCharContent(true).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

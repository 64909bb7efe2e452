package dev.ktstr.kvm.initramfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Small ELF programs and libraries compiled with gcc for the resolver and boot tests:
 * <pre>
 * lib/libfoo.so.1.0   soname libfoo.so.1 (symlinks libfoo.so.1, libfoo.so), foo() = 42
 * lib/libbar.so       needs libfoo.so.1, RUNPATH $ORIGIN, bar() = foo() + 1
 * bin/app             needs libbar.so, RUNPATH $ORIGIN/../lib, prints "app bar=43"
 * </pre>
 */
final class NativeFixtures {

    final Path root;
    final Path lib;
    final Path app;

    private NativeFixtures(Path root) {
        this.root = root;
        this.lib = root.resolve("lib");
        this.app = root.resolve("bin/app");
    }

    static NativeFixtures build(Path root) throws IOException, InterruptedException {
        NativeFixtures f = new NativeFixtures(root);
        Files.createDirectories(f.lib);
        Files.createDirectories(root.resolve("bin"));
        Path src = Files.createDirectories(root.resolve("src"));
        Files.writeString(src.resolve("foo.c"), "int foo(void) { return 42; }\n");
        Files.writeString(src.resolve("bar.c"), "int foo(void);\nint bar(void) { return foo() + 1; }\n");
        Files.writeString(src.resolve("app.c"), "#include <stdio.h>\nint bar(void);\n"
                + "int main(void) { printf(\"app bar=%d\\n\", bar()); return 0; }\n");
        HostTools.gcc(root, List.of("-shared", "-fPIC", "-Wl,-soname,libfoo.so.1", "-o", "lib/libfoo.so.1.0",
                "src/foo.c"));
        Files.createSymbolicLink(f.lib.resolve("libfoo.so.1"), Path.of("libfoo.so.1.0"));
        Files.createSymbolicLink(f.lib.resolve("libfoo.so"), Path.of("libfoo.so.1"));
        HostTools.gcc(root, List.of("-shared", "-fPIC", "-Wl,-soname,libbar.so", "-Wl,--enable-new-dtags",
                "-Wl,-rpath,$ORIGIN", "-o", "lib/libbar.so", "src/bar.c", "-Llib", "-lfoo"));
        HostTools.gcc(root, List.of("-o", "bin/app", "src/app.c", "-Llib", "-lbar", "-Wl,-rpath-link,lib",
                "-Wl,--enable-new-dtags", "-Wl,-rpath,$ORIGIN/../lib"));
        return f;
    }

    /** A shared library {@code dir/lib<name>.so} whose function {@code <name>()} returns {@code value}. */
    static Path library(Path dir, String name, String soname, int value, List<String> extra)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path c = dir.resolve(name + ".c");
        Files.writeString(c, "int " + name + "(void) { return " + value + "; }\n");
        Path out = dir.resolve(soname);
        List<String> args = new java.util.ArrayList<>(List.of("-shared", "-fPIC", "-Wl,-soname," + soname, "-o",
                out.toString(), c.toString()));
        args.addAll(extra);
        HostTools.gcc(dir, args);
        return out;
    }
}

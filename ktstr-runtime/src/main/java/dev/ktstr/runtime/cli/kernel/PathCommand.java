package dev.ktstr.runtime.cli.kernel;

import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.KernelResolver;
import dev.ktstr.runtime.kernel.ResolvedKernel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ktstr kernel path}: where the kernel tests would boot lives, for scripts: the image,
 * vmlinux and config of what discovery finds ({@code KTSTR_KERNEL}, else the newest cache entry).
 */
@Command(name = "path", mixinStandardHelpOptions = true,
        description = "Print the files of the kernel tests would boot (KTSTR_KERNEL, else the newest cached one). "
                + "With --env, as KTSTR_TEST_KERNEL/KTSTR_TEST_VMLINUX/KTSTR_TEST_KCONFIG assignments for a shell.")
final class PathCommand extends KernelSubcommand {

    @Option(names = "--env", description = "Print shell assignments instead of one path per line")
    boolean env;

    @Override
    String name() {
        return "path";
    }

    @Override
    int execute() throws KernelException {
        ResolvedKernel k = new KernelResolver(parent.env(), parent.cache(), parent.progress(), parent.clock()).resolve();
        PrintWriter out = parent.out();
        if (env) {
            print(out, "KTSTR_TEST_KERNEL", Optional.of(k.image()));
            print(out, "KTSTR_TEST_VMLINUX", k.vmlinux());
            print(out, "KTSTR_TEST_KCONFIG", k.config());
        } else {
            out.println(k.image());
            k.vmlinux().ifPresent(out::println);
            k.config().ifPresent(out::println);
        }
        out.flush();
        return 0;
    }

    private static void print(PrintWriter out, String name, Optional<Path> p) {
        p.ifPresent(path -> out.println("export " + name + "='" + path.toString().replace("'", "'\\''") + "'"));
    }
}

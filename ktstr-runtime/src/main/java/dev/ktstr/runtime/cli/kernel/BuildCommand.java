package dev.ktstr.runtime.cli.kernel;

import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.build.KernelBuilder;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ktstr kernel build --source DIR}: build and cache a kernel from a source tree. */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = {"Build a kernel from a source tree (e.g. Debian's linux-source-7.x) and cache it: "
                + "make defconfig if there is no .config, merge ktstr.kconfig and --config, make olddefconfig, "
                + "check the required options survived, make bzImage.",
            "A dirty git tree is built but not cached."})
final class BuildCommand extends KernelSubcommand {

    @Option(names = "--source", required = true, paramLabel = "DIR", description = "The kernel source tree")
    Path source;

    @Option(names = "--output", paramLabel = "DIR", description = "Build in DIR (make O=DIR) instead of the tree")
    Path output;

    @Option(names = "--config", paramLabel = "FRAGMENT",
            description = "An extra Kconfig fragment, applied after ktstr's (its options win)")
    Path fragment;

    @Option(names = "--jobs", paramLabel = "N", description = "Parallel make jobs (default: the CPUs available)")
    Integer jobs;

    @Option(names = "--force", description = "Rebuild even if this source and config are cached")
    boolean force;

    @Override
    String name() {
        return "build";
    }

    @Override
    int execute() throws KernelException {
        int n = jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
        if (n < 1) {
            throw new picocli.CommandLine.ParameterException(parent.spec.commandLine(), "--jobs must be at least 1");
        }
        KernelBuilder builder = new KernelBuilder(parent.cache(), parent.progress(), line -> {
            parent.err().println(line);
            parent.err().flush();
        }, parent.clock());
        KernelBuilder.Result r = builder.build(new KernelBuilder.Request(source, Optional.ofNullable(output),
                Optional.ofNullable(fragment), n, force));
        parent.out().println(r.key() + "  " + r.entry().map(e -> e.dir().toString())
                .orElse(r.image() + " (not cached)"));
        parent.out().flush();
        return 0;
    }
}

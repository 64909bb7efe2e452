package dev.ktstr.runtime.cli.kernel;

import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.cache.CacheEntry;
import dev.ktstr.runtime.kernel.debian.DebianKernelFetcher;
import dev.ktstr.runtime.kernel.debian.KernelPackages;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ktstr kernel fetch [VERSION]}: a sched_ext-capable Debian kernel into the cache. */
@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = {"Fetch a Debian kernel with sched_ext into the cache, through apt with a private source "
                + "list on the mirror of this machine's own apt sources (override: KTSTR_DEBIAN_MIRROR).",
            "Default: the newest " + KernelPackages.DEFAULT_SERIES + ".x " + KernelPackages.DEFAULT_FLAVOUR
                + " kernel of " + KernelPackages.DEFAULT_SUITE + "."})
final class FetchCommand extends KernelSubcommand {

    @Parameters(arity = "0..1", paramLabel = "VERSION",
            description = "A full Debian kernel version (7.3.4+deb13) or a prefix (7.2); default: newest "
                    + KernelPackages.DEFAULT_SERIES + ".x")
    String version;

    @Option(names = "--flavour", defaultValue = KernelPackages.DEFAULT_FLAVOUR,
            description = "Debian kernel flavour: cloud-amd64 (small, boots fast), amd64 or rt-amd64 "
                    + "(default: ${DEFAULT-VALUE})")
    String flavour;

    @Option(names = "--suite", defaultValue = KernelPackages.DEFAULT_SUITE,
            description = "Debian suite to fetch from (default: ${DEFAULT-VALUE})")
    String suite;

    @Option(names = "--force", description = "Fetch again even if the kernel is cached")
    boolean force;

    @Option(names = "--list", description = "List the kernels the suite offers instead of fetching")
    boolean list;

    @Override
    String name() {
        return "fetch";
    }

    @Override
    int execute() throws KernelException {
        DebianKernelFetcher fetcher = new DebianKernelFetcher(parent.env(), parent.cache(), parent.progress(),
                parent.clock());
        DebianKernelFetcher.Request req = new DebianKernelFetcher.Request(Optional.ofNullable(version), flavour, suite,
                force);
        if (list) {
            List<KernelPackages> all = fetcher.available(req);
            for (KernelPackages p : all) {
                parent.out().println(p.version().text() + "  " + p.imagePackage()
                        + (p.version().matches(req.spec()) ? "" : "  (not matching " + req.spec() + ")"));
            }
            parent.out().flush();
            return 0;
        }
        CacheEntry e = fetcher.fetch(req);
        parent.out().println(e.key() + "  " + e.dir());
        parent.out().flush();
        return 0;
    }
}

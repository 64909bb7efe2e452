package dev.ktstr.runtime.cli.kernel;

import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.cache.CacheEntry;
import dev.ktstr.runtime.kernel.cache.CorruptEntry;
import dev.ktstr.runtime.kernel.cache.EntryStatus;
import dev.ktstr.runtime.kernel.cache.KernelCache;
import dev.ktstr.runtime.kernel.cache.KeyLock;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ktstr kernel clean}: removes cached kernels. Without {@code --force} it only says what it would
 * remove. Entries another process is writing (their lock is held) are skipped.
 */
@Command(name = "clean", mixinStandardHelpOptions = true,
        description = {"Remove cached kernels: every corrupt entry, and every valid one beyond the --keep newest.",
            "Without --force, only print what would be removed."})
final class CleanCommand extends KernelSubcommand {

    @Option(names = "--keep", paramLabel = "N", defaultValue = "0",
            description = "Keep the N newest valid kernels (default: ${DEFAULT-VALUE})")
    int keep;

    @Option(names = "--force", description = "Really remove (otherwise a dry run)")
    boolean force;

    @Option(names = "--corrupt-only", description = "Remove only corrupt entries")
    boolean corruptOnly;

    @Override
    String name() {
        return "clean";
    }

    @Override
    @SuppressWarnings("try")
    int execute() throws KernelException {
        if (keep < 0) {
            throw new picocli.CommandLine.ParameterException(parent.spec.commandLine(), "--keep must be >= 0");
        }
        KernelCache cache = parent.cache();
        List<EntryStatus> victims = new ArrayList<>();
        int valid = 0;
        for (EntryStatus s : cache.list(false)) {
            if (s instanceof CorruptEntry) {
                victims.add(s);
            } else if (!corruptOnly && s instanceof CacheEntry && valid++ >= keep) {
                victims.add(s);
            }
        }
        PrintWriter out = parent.out();
        int removed = 0;
        for (EntryStatus s : victims) {
            String what = s.key() + (s instanceof CorruptEntry c ? " (corrupt: " + c.reason() + ")" : "");
            if (!force) {
                out.println("would remove " + what);
                continue;
            }
            Optional<KeyLock> lock = cache.tryLock(s.key());
            if (lock.isEmpty()) {
                parent.progress().warning("skipping " + s.key() + ": another process holds its lock");
                continue;
            }
            try (KeyLock held = lock.get()) {
                if (cache.remove(s.key())) {
                    out.println("removed " + what);
                    removed++;
                }
            }
        }
        if (force) {
            int swept = cache.sweepLeftovers();
            out.println("removed " + removed + " kernel(s)" + (swept > 0 ? " and " + swept + " leftover(s)" : "")
                    + " from " + cache.root());
        } else if (victims.isEmpty()) {
            out.println("nothing to remove in " + cache.root());
        } else {
            out.println("dry run: add --force to remove " + victims.size() + " kernel(s)");
        }
        out.flush();
        return 0;
    }
}

package dev.ktstr.runtime.cli.kernel;

import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.KernelMetadata;
import dev.ktstr.runtime.kernel.cache.CacheEntry;
import dev.ktstr.runtime.kernel.cache.CorruptEntry;
import dev.ktstr.runtime.kernel.cache.EntryStatus;
import dev.ktstr.runtime.kernel.cache.KernelCache;
import dev.ktstr.runtime.kernel.cache.MetadataJson;
import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ktstr kernel list}: the cached kernels, newest first, with their facts. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List cached kernels, newest first: key, release, source, BTF, PVH entry, sched_ext, "
                + "CONFIG_HZ, size. Corrupt entries are listed with the reason.")
final class ListCommand extends KernelSubcommand {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneOffset.UTC);

    @Option(names = "--json", description = "Print a JSON array instead of a table")
    boolean json;

    @Option(names = "--verify", description = "Also recompute every file's SHA-256 (slower)")
    boolean verify;

    /**
     * One row of {@code --json} output.
     *
     * @param key      the cache key
     * @param dir      the entry directory
     * @param status   {@code valid} or {@code corrupt}
     * @param reason   why it is corrupt, or null
     * @param metadata its metadata when valid, else null
     */
    public record Row(String key, String dir, String status, String reason, KernelMetadata metadata) {}

    @Override
    String name() {
        return "list";
    }

    @Override
    int execute() throws KernelException {
        KernelCache cache = parent.cache();
        List<EntryStatus> entries = cache.list(verify);
        PrintWriter out = parent.out();
        if (json) {
            List<Row> rows = new ArrayList<>();
            for (EntryStatus s : entries) {
                rows.add(s instanceof CacheEntry e
                        ? new Row(e.key(), e.dir().toString(), "valid", null, e.metadata())
                        : new Row(s.key(), s.dir().toString(), "corrupt", ((CorruptEntry) s).reason(), null));
            }
            out.print(MetadataJson.writeValue(rows));
            out.flush();
            return 0;
        }
        if (entries.isEmpty()) {
            out.println("no kernels in " + cache.root() + "; fetch one with './ktstr kernel fetch'");
            out.flush();
            return 0;
        }
        String fmt = "%-56s %-28s %-11s %-4s %-4s %-9s %-4s %8s  %s%n";
        out.printf(Locale.ROOT, fmt, "KEY", "RELEASE", "SOURCE", "BTF", "PVH", "SCHED_EXT", "HZ", "SIZE", "CACHED");
        for (EntryStatus s : entries) {
            if (s instanceof CacheEntry e) {
                KernelMetadata m = e.metadata();
                out.printf(Locale.ROOT, fmt, e.key(), m.release(), m.source().kindName(), m.btf().shortLabel(),
                        m.pvhEntry().shortLabel(), m.schedExt().shortLabel(),
                        m.hz().isPresent() ? String.valueOf(m.hz().getAsInt()) : "?",
                        String.format(Locale.ROOT, "%.1f MB", m.totalBytes() / 1e6), WHEN.format(m.cachedAt()));
            } else {
                out.printf(Locale.ROOT, "%-56s CORRUPT: %s%n", s.key(), ((CorruptEntry) s).reason());
            }
        }
        out.println("cache: " + cache.root());
        out.flush();
        return 0;
    }
}

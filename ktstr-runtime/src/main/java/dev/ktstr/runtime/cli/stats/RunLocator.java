package dev.ktstr.runtime.cli.stats;

import dev.ktstr.runtime.result.ResultFiles;
import dev.ktstr.runtime.result.ResultSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds run directories for the stats commands: a {@code RUN} argument is a directory path, or the
 * name of a run directory under the root ({@code target/ktstr} by default); no argument means the
 * newest run.
 */
final class RunLocator {

    private final Path root;

    RunLocator(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** Every run under the root, newest first. */
    List<Path> runs() throws IOException {
        return ResultFiles.runDirectories(root);
    }

    /** The run named by {@code spec}, or the newest when {@code spec} is {@code null}. */
    Path resolve(String spec) throws IOException {
        if (spec == null) {
            List<Path> runs = runs();
            if (runs.isEmpty()) {
                throw new StatsException("[KtstrNoResults] no runs under " + root.toAbsolutePath()
                        + " (run tests first, or pass --root or a run directory)");
            }
            return runs.get(0);
        }
        Path p = Path.of(spec);
        if (Files.isDirectory(p)) {
            return p;
        }
        Path under = root.resolve(spec);
        if (Files.isDirectory(under)) {
            return under;
        }
        throw new StatsException("[KtstrNoResults] no run '" + spec + "': neither a directory nor a run under "
                + root.toAbsolutePath() + "; known: " + runs().stream().map(r -> root.relativize(r).toString()).toList());
    }

    /** The newest run that is not {@code other}. */
    Path newestExcept(Path other) throws IOException {
        for (Path r : runs()) {
            if (!sameDir(r, other)) {
                return r;
            }
        }
        throw new StatsException("[KtstrNoResults] need a second run under " + root.toAbsolutePath()
                + " besides " + other);
    }

    static ResultSet read(List<Path> dirs) throws IOException {
        return ResultFiles.readDirectories(dirs);
    }

    static boolean sameDir(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}

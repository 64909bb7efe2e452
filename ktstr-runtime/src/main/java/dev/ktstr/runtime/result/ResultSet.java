package dev.ktstr.runtime.result;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What reading one or more run directories produced: the results that could be read and the files
 * that could not, each named with its problem. Nothing read is ever dropped without a trace here.
 *
 * @param sources   the directories (or files) read
 * @param results   the usable results, in file-name order per source
 * @param badFiles  files skipped, with the reason
 */
public record ResultSet(List<Path> sources, List<LoadedResult> results, List<BadResultFile> badFiles) {

    public ResultSet {
        sources = List.copyOf(sources);
        results = List.copyOf(results);
        badFiles = List.copyOf(badFiles);
    }

    /** An empty set read from nowhere. */
    public static ResultSet empty() {
        return new ResultSet(List.of(), List.of(), List.of());
    }

    /** This set and {@code other} together. */
    public ResultSet plus(ResultSet other) {
        List<Path> s = new ArrayList<>(sources);
        s.addAll(other.sources);
        List<LoadedResult> r = new ArrayList<>(results);
        r.addAll(other.results);
        List<BadResultFile> b = new ArrayList<>(badFiles);
        b.addAll(other.badFiles);
        return new ResultSet(s, r, b);
    }

    /** The results alone. */
    public List<RunResult> runResults() {
        return results.stream().map(LoadedResult::result).toList();
    }
}

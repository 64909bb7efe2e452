package dev.ktstr.runtime.result;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A result read back from disk, with the file it came from (so reports can name it).
 *
 * @param file    the result file
 * @param result  its content
 */
public record LoadedResult(Path file, RunResult result) {

    public LoadedResult {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(result, "result");
    }
}

package dev.ktstr.runtime.result;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A result file that could not be used: which file, what kind of problem, and the evidence. Readers
 * collect these instead of throwing, so one broken file never stops a comparison; tools print them
 * and count them.
 *
 * @param file    the file
 * @param problem what kind of problem
 * @param detail  the evidence in one line (parser message, the version found, the missing field)
 */
public record BadResultFile(Path file, Problem problem, String detail) {

    public BadResultFile {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(detail, "detail");
    }

    /** Kinds of problem, each with a stable bracketed id that users and tests can grep. */
    public enum Problem {
        /** The file could not be read at all (permissions, I/O error). */
        UNREADABLE("KtstrResultUnreadable"),
        /** The JSON ends early: an interrupted write, a full disk, an empty file. */
        TRUNCATED("KtstrResultTruncated"),
        /** Not JSON. */
        CORRUPT("KtstrResultCorrupt"),
        /** JSON, but not a result of the schema version this reader understands. */
        SCHEMA_MISMATCH("KtstrResultSchema");

        private final String id;

        Problem(String id) {
            this.id = id;
        }

        /** The stable id, e.g. {@code KtstrResultTruncated}. */
        public String id() {
            return id;
        }
    }

    /** One line: {@code [KtstrResultTruncated] path: detail}. */
    public String message() {
        return "[" + problem.id() + "] " + file + ": " + detail;
    }

    @Override
    public String toString() {
        return message();
    }
}

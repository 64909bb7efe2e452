package dev.ktstr.runtime.kernel.process;

import java.util.List;

/**
 * How a host tool ended.
 *
 * @param command  the argument vector
 * @param exitCode its exit status (-1 when it was killed on timeout)
 * @param stdout   everything it wrote to stdout (the last {@link ProcessRunner#MAX_CAPTURE} characters)
 * @param stderr   the same for stderr (empty when stderr was merged into stdout)
 */
public record ProcessResult(List<String> command, int exitCode, String stdout, String stderr) {

    public ProcessResult {
        command = List.copyOf(command);
    }

    public boolean ok() {
        return exitCode == 0;
    }

    /** One line for an error message: the command, its status and the tail of its output. */
    public String describeFailure() {
        String out = stderr.isBlank() ? stdout : stderr;
        return "'" + String.join(" ", command) + "' exited with status " + exitCode + ": " + tail(out, 5);
    }

    /** The last {@code lines} non-blank lines of {@code text}, joined by " | ". */
    public static String tail(String text, int lines) {
        List<String> all = text.lines().filter(l -> !l.isBlank()).toList();
        List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
        return last.isEmpty() ? "(no output)" : String.join(" | ", last);
    }
}

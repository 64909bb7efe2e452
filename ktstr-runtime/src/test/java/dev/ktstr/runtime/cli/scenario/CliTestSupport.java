package dev.ktstr.runtime.cli.scenario;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs a command in-process and captures what it printed. */
final class CliTestSupport {

    record Result(int exit, String out, String err) {}

    private CliTestSupport() {}

    static Result run(Object command, String... args) {
        CommandLine cl = new CommandLine(command);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }
}

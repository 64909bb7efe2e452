package dev.ktstr.runtime.kernel.process;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a host tool (apt-get, dpkg-deb, make, git) to completion: output is drained on two reader
 * threads so neither pipe can fill up and stall the child, a deadline kills the whole process tree,
 * and the result carries the output for parsing and for error messages. Nothing outlives a call:
 * the child and its readers are ended before it returns.
 */
public final class ProcessRunner {

    /** Output beyond this many characters keeps only its tail (a kernel build log is megabytes). */
    public static final int MAX_CAPTURE = 4 << 20;

    private ProcessRunner() {}

    /**
     * What to run and how.
     *
     * @param command     the argument vector
     * @param directory   working directory, or null for the JVM's
     * @param environment variables to add or override
     * @param timeout     deadline for the whole run
     * @param mergeStderr send stderr into stdout (build logs) instead of capturing it apart (parsing)
     * @param lines       receives every output line as it arrives, or null
     */
    public record Spec(List<String> command, Path directory, Map<String, String> environment, Duration timeout,
            boolean mergeStderr, Consumer<String> lines) {

        public Spec {
            command = List.copyOf(command);
            environment = Map.copyOf(environment);
        }

        /** A command run in the current directory with a deadline, stderr captured apart. */
        public static Spec of(Duration timeout, List<String> command) {
            return new Spec(command, null, Map.of(), timeout, false, null);
        }

        public Spec in(Path dir) {
            return new Spec(command, dir, environment, timeout, mergeStderr, lines);
        }

        public Spec withEnvironment(Map<String, String> env) {
            return new Spec(command, directory, env, timeout, mergeStderr, lines);
        }

        public Spec streaming(Consumer<String> sink) {
            return new Spec(command, directory, environment, timeout, true, sink);
        }
    }

    /**
     * Runs {@code spec}.
     *
     * @throws IOException when the program cannot be started (not installed, not executable)
     * @throws InterruptedException when the calling thread is interrupted (the child is killed first)
     */
    public static ProcessResult run(Spec spec) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(spec.command());
        if (spec.directory() != null) {
            pb.directory(spec.directory().toFile());
        }
        pb.environment().putAll(spec.environment());
        pb.redirectErrorStream(spec.mergeStderr());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        Drain out = new Drain(p.getInputStream(), spec.lines());
        Drain err = new Drain(p.getErrorStream(), null);
        Thread tOut = start(out, "ktstr-proc-out");
        Thread tErr = start(err, "ktstr-proc-err");
        boolean finished = false;
        try {
            finished = p.waitFor(spec.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            if (!finished) {
                killTree(p);
            }
            tOut.join();
            tErr.join();
        }
        if (out.failure != null) {
            throw out.failure;
        }
        String stderr = err.text();
        if (!finished) {
            stderr = stderr + "\n(killed after " + spec.timeout().toSeconds() + " s)";
        }
        return new ProcessResult(spec.command(), finished ? p.exitValue() : -1, out.text(), stderr);
    }

    /** Whether {@code tool} is an executable on {@code PATH}. */
    public static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static Thread start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void killTree(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads one stream to its end, keeping at most {@link #MAX_CAPTURE} characters of tail. */
    private static final class Drain implements Runnable {
        private final InputStream in;
        private final Consumer<String> lines;
        private final StringBuilder text = new StringBuilder();
        private volatile IOException failure;

        Drain(InputStream in, Consumer<String> lines) {
            this.in = in;
            this.lines = lines;
        }

        @Override
        public void run() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (text) {
                        text.append(line).append('\n');
                        if (text.length() > MAX_CAPTURE) {
                            text.delete(0, text.length() - MAX_CAPTURE / 2);
                        }
                    }
                    if (lines != null) {
                        lines.accept(line);
                    }
                }
            } catch (IOException e) {
                failure = e;
            } catch (UncheckedIOException e) {
                failure = e.getCause();
            }
        }

        String text() {
            synchronized (text) {
                return text.toString();
            }
        }
    }
}

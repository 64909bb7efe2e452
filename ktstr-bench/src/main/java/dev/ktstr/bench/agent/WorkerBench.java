package dev.ktstr.bench.agent;

import dev.ktstr.runtime.agent.WireReader;
import dev.ktstr.runtime.agent.WorkWire;
import dev.ktstr.runtime.measure.WorkerReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs the worker module's native benchmark and prints its tables: a CpuSpin worker's rate with the
 * framework's per-iteration bookkeeping against a bare loop (alternating rounds, per CPU-second), and
 * the time to encode, pipe and decode 256 heavy reports next to a real stop of 256 workers. Adds the
 * time the host's {@link WorkWire#decodeReports} takes for the same 256 reports.
 *
 * <p>From the repository root, after {@code mvn -pl ktstr-bench -am package -DskipTests}:
 * {@code java -cp 'ktstr-bench/target/classes:ktstr-bench/target/lib/*' dev.ktstr.bench.agent.WorkerBench
 * [agent-c-dir] [--rounds N] [--round-ms MS]}. Needs {@code make} and {@code gcc}.
 */
public final class WorkerBench {

    private WorkerBench() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        Path agentSrc = Path.of("ktstr-agent", "src", "main", "c");
        List<String> benchArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--") && i + 1 < args.length) {
                benchArgs.add(args[i]);
                benchArgs.add(args[++i]);
            } else {
                agentSrc = Path.of(args[i]);
            }
        }
        if (!Files.isRegularFile(agentSrc.resolve("Makefile"))) {
            throw new IllegalArgumentException("no agent Makefile in " + agentSrc.toAbsolutePath()
                    + ": run from the repository root or pass the agent's C directory");
        }
        Path out = Path.of("ktstr-bench", "target", "bench-agent").toAbsolutePath();
        Path binary = out.resolve("tests").resolve("bench_work");
        run(List.of("make", "-s", "-C", agentSrc.toString(), "OUT=" + out, binary.toString()));

        Path reply = Files.createTempFile("ktstr-bench-reply", ".bin");
        try {
            List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--reply-out", reply.toString()));
            cmd.addAll(benchArgs);
            run(cmd);
            decodeFigure(Files.readAllBytes(reply));
        } finally {
            Files.deleteIfExists(reply);
        }
    }

    private static void decodeFigure(byte[] replyBytes) {
        int rounds = 25;
        double[] ms = new double[rounds];
        int reports = 0;
        for (int i = -5; i < rounds; i++) { // five warm-up rounds for the JIT
            long t0 = System.nanoTime();
            List<WorkerReport> decoded = WorkWire.decodeReports(new WireReader(replyBytes));
            long took = System.nanoTime() - t0;
            reports = decoded.size();
            if (i >= 0) {
                ms[i] = took / 1e6;
            }
        }
        Arrays.sort(ms);
        System.out.printf("== host side ==%n%-44s %10.2f ms  (median of %d; %d reports, %.1f KiB)%n",
                "Java WorkWire.decodeReports, 256 reports", ms[rounds / 2], rounds, reports, replyBytes.length / 1024.0);
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        int rc = p.waitFor();
        if (rc != 0) {
            throw new IOException(String.join(" ", cmd) + " exited with " + rc);
        }
    }
}

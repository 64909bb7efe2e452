package dev.ktstr.runtime.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.runtime.measure.LatencyHistogram;
import dev.ktstr.runtime.measure.WorkerReport;
import dev.ktstr.runtime.measure.WorkerReport.ExitKind;
import dev.ktstr.runtime.measure.WorkerReport.Migration;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cross-language round trip: the golden vectors that the agent's C test ({@code test_work_wire.c})
 * encodes from the same sample values decode here to the expected records, and specs and reports
 * re-encode byte for byte.
 */
class WorkWireTest {

    /** The agent module's vectors, relative to this module's directory (the Surefire working directory). */
    private static final Path GOLDEN = Path.of("..", "ktstr-agent", "src", "test", "resources", "wire");

    private static byte[] golden(String name) throws IOException {
        Path p = GOLDEN.resolve(name);
        assertTrue(Files.isRegularFile(p), "golden vector missing: " + p.toAbsolutePath());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String line : Files.readAllLines(p, StandardCharsets.US_ASCII)) {
            if (line.startsWith("#")) {
                continue;
            }
            String hex = line.strip();
            for (int i = 0; i + 1 < hex.length(); i += 2) {
                out.write(Integer.parseInt(hex.substring(i, i + 2), 16));
            }
        }
        return out.toByteArray();
    }

    // ---- the sample values of test_work_wire.c ----------------------------------------------------

    static WorkerGroupSpec specCpuSpin() {
        return new WorkerGroupSpec(1, "", 1, List.of(), List.of(), List.of(), 4, 0, 0, 0, List.of(), 0, "", 0);
    }

    static WorkerGroupSpec specSequence() {
        return new WorkerGroupSpec(7, "cg_0/inner", 12, List.of(),
                List.of(new WorkerGroupSpec.Phase(1, 100_000_000L), new WorkerGroupSpec.Phase(2, 50_000_000L),
                        new WorkerGroupSpec.Phase(3, 20_000_000L), new WorkerGroupSpec.Phase(4, 30_000_000L)),
                List.of(), 2, 3, 0, 5, List.of("0-1", "3"), 2, "0", 1 << 15);
    }

    static WorkerGroupSpec specCustom() {
        return new WorkerGroupSpec(9, "payload", 20, List.of(), List.of(), List.of("/bin/sh", "-c", "echo h\u00e9llo"),
                1, 1, 10, 0, List.of(), 3, "0-1", 0);
    }

    static WorkerGroupSpec specMutex() {
        return new WorkerGroupSpec(3, "", 19, List.of(4L, 0L), List.of(), List.of(), 8, 5, 0, -3, List.of(), 1, "1", 0);
    }

    static WorkerReport reportFull() {
        return new WorkerReport(7, 1, 4242, ExitKind.OK, 0, 0, false, true, 123_456_789L, 120_563L, 987_654_321L,
                1_000_000_000L, 12_345_679L, 300,
                List.of(new Migration(1000, 0, 1), new Migration(2_000_000, 1, 3), new Migration(3_000_000_000L, 3, 0)),
                "0-1,3", 5_000_000L, 3, 250_000_000L,
                LatencyHistogram.ofValues(100, 100, 300, 70_000, 1L << 40, 1L << 50), 900_000_000L, 50_000_000L, 321,
                12, 34, List.of(100L, 2L), 7, 0);
    }

    static WorkerReport reportTimedOut() {
        return new WorkerReport(1, 0, 100, ExitKind.TIMED_OUT, 0, 9, false, false, 0, 0, 0, 0, 0, 0, List.of(), "", 0, -1,
                0, LatencyHistogram.empty(), 0, 0, 0, 0, 0, List.of(), 0, 0);
    }

    static WorkerReport reportSpawnFailed() {
        return new WorkerReport(9, 0, 555, ExitKind.SPAWN_FAILED, 2, 0, false, false, 0, 0, 0, 0, 0, 0, List.of(), "", 0,
                -1, 0, LatencyHistogram.empty(), 0, 0, 0, 0, 0, List.of(), 0, 3);
    }

    // ---- specs ------------------------------------------------------------------------------------

    private static void specRoundTrip(String name, WorkerGroupSpec expected) throws IOException {
        byte[] bytes = golden(name);
        WireReader r = new WireReader(bytes);
        assertEquals(expected, WorkWire.decodeSpec(r), name);
        r.expectEnd();
        assertArrayEquals(bytes, WorkWire.encode(expected), name + ": Java encoding differs from the agent's");
    }

    @Test
    void specsMatchTheAgentsGoldenVectors() throws IOException {
        specRoundTrip("spec_cpu_spin.hex", specCpuSpin());
        specRoundTrip("spec_sequence.hex", specSequence());
        specRoundTrip("spec_custom.hex", specCustom());
        specRoundTrip("spec_mutex.hex", specMutex());
    }

    @Test
    void specDecodeRefusesTruncationAndBadCounts() throws IOException {
        byte[] bytes = golden("spec_sequence.hex");
        for (int cut = 0; cut < bytes.length; cut++) {
            byte[] part = Arrays.copyOf(bytes, cut);
            assertThrows(WireFormatException.class, () -> WorkWire.decodeSpec(new WireReader(part)), "cut " + cut);
        }
        byte[] five = new WireWriter().u32(1).str("").u32(1).u32(5).toByteArray();
        WireFormatException e = assertThrows(WireFormatException.class,
                () -> WorkWire.decodeSpec(new WireReader(five)));
        assertTrue(e.getMessage().contains("5 parameters"), e.getMessage());
        // affinity with a wrong number of entries is refused by the record, reported as a wire error
        WireWriter w = new WireWriter();
        WorkWire.encode(w, specSequence());
        byte[] good = w.toByteArray();
        byte[] wrongCount = good.clone();
        int countOffset = indexOfCount(good);
        wrongCount[countOffset] = 3;
        assertThrows(WireFormatException.class, () -> WorkWire.decodeSpec(new WireReader(wrongCount)));
    }

    /** Offset of the u32 worker count in the encoding of specSequence() (after cgroup, params, phases, argv). */
    private static int indexOfCount(byte[] enc) {
        int off = 4 + 4 + "cg_0/inner".length() + 4 + 4 + 4 + 4 * 12 + 4;
        assertEquals(2, enc[off], "worker count at offset " + off);
        return off;
    }

    @Test
    void specRecordRefusesTooManyPhases() {
        List<WorkerGroupSpec.Phase> phases = java.util.Collections.nCopies(33, new WorkerGroupSpec.Phase(1, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new WorkerGroupSpec(1, "", 12, List.of(), phases, List.of(), 1, 0, 0, 0, List.of(), 0, "", 0));
    }

    // ---- reports ----------------------------------------------------------------------------------

    private static void reportRoundTrip(String name, WorkerReport expected) throws IOException {
        byte[] bytes = golden(name);
        WireReader r = new WireReader(bytes);
        WorkerReport got = WorkWire.decodeReport(r);
        r.expectEnd();
        assertEquals(expected, got, name);
        WireWriter w = new WireWriter();
        WorkWire.encodeReport(w, expected);
        assertArrayEquals(bytes, w.toByteArray(), name + ": Java encoding differs from the agent's");
    }

    @Test
    void reportsMatchTheAgentsGoldenVectors() throws IOException {
        reportRoundTrip("report_full.hex", reportFull());
        reportRoundTrip("report_timed_out.hex", reportTimedOut());
        reportRoundTrip("report_spawn_failed.hex", reportSpawnFailed());
    }

    @Test
    void fullReportCarriesItsMeasurements() throws IOException {
        WorkerReport r = WorkWire.decodeReport(new WireReader(golden("report_full.hex")));
        assertEquals(6, r.wakeLatency().count());
        assertEquals(1L << 50, r.wakeLatency().maxNs());
        assertEquals(100.0, r.wakeLatency().percentileNs(0.3), 0.0);
        assertEquals(3, r.migrations().size());
        assertTrue(r.reported() && r.messenger() && !r.completed());
        assertEquals(100.0 * 12_345_679L / 1e9, r.offCpuPct(), 1e-9);
    }

    @Test
    void stopReplyDecodesToEveryReport() throws IOException {
        WireReader r = new WireReader(golden("stop_reply.hex"));
        assertEquals(List.of(reportFull(), reportTimedOut(), reportSpawnFailed()), WorkWire.decodeReports(r));
        r.expectEnd();
    }

    /** Sentinels and Custom reports are the smallest encodings; a reply of only those decodes. */
    @Test
    void stopReplyOfOnlyEmptyReportsDecodes() throws IOException {
        byte[] one = golden("report_timed_out.hex");
        assertEquals(WorkWire.MIN_REPORT_BYTES, one.length, "an empty report's encoding");
        WireWriter w = new WireWriter().u32(2);
        WorkWire.encodeReport(w, reportTimedOut());
        WorkWire.encodeReport(w, reportTimedOut());
        WireReader r = new WireReader(w.toByteArray());
        assertEquals(List.of(reportTimedOut(), reportTimedOut()), WorkWire.decodeReports(r));
        r.expectEnd();
    }

    @Test
    void reportDecodeRefusesTruncationAndInconsistency() throws IOException {
        byte[] bytes = golden("report_full.hex");
        for (int cut = 0; cut < bytes.length; cut++) {
            byte[] part = Arrays.copyOf(bytes, cut);
            assertThrows(WireFormatException.class, () -> WorkWire.decodeReport(new WireReader(part)), "cut " + cut);
        }
        // exit kind 6 does not exist
        byte[] kind = bytes.clone();
        kind[12] = 6;
        WireFormatException e = assertThrows(WireFormatException.class, () -> WorkWire.decodeReport(new WireReader(kind)));
        assertTrue(e.getMessage().contains("unknown exit kind 6"), e.getMessage());
        // a histogram whose buckets do not sum to its count
        WorkerReport full = reportFull();
        WireWriter w = new WireWriter();
        WorkWire.encodeReport(w, full);
        byte[] enc = w.toByteArray();
        int histCount = histCountOffset(full);
        enc[histCount] = 7;
        e = assertThrows(WireFormatException.class, () -> WorkWire.decodeReport(new WireReader(enc)));
        assertTrue(e.getMessage().contains("latency histogram"), e.getMessage());
        // a reply claiming more reports than could fit
        byte[] many = new WireWriter().u32(1000).toByteArray();
        assertThrows(WireFormatException.class, () -> WorkWire.decodeReports(new WireReader(many)));
    }

    /** Offset of hist_count: fixed head, migrations, cpus_used, max_gap fields. */
    private static int histCountOffset(WorkerReport r) {
        int off = 4 * 6 + 2 + 8 * 6 + 4 + 16 * r.migrations().size() + 4 + r.cpusUsed().length() + 8 + 4 + 8;
        return off;
    }
}

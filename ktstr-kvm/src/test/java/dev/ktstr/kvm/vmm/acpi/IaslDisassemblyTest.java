package dev.ktstr.kvm.vmm.acpi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ktstr.kvm.vmm.FirmwareDump;
import dev.ktstr.kvm.vmm.memory.MemoryLayout;
import dev.ktstr.topology.Preset;
import dev.ktstr.topology.Presets;
import dev.ktstr.topology.Topology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every preset's tables through the real ACPICA disassembler ({@code iasl -d}, Debian package
 * acpica-tools): no errors or warnings, and the entry counts the topology implies. The DSDT is also
 * compiled back from its disassembly to the same AML. The RSDP is not an SDT (no standard header) and this iasl
 * refuses it as a standalone file; AcpiTablesTest and the probe guest check it instead.
 */
class IaslDisassemblyTest {

    private static final Pattern PROBLEM = Pattern.compile("(?i)\\b(error|warning|invalid)\\b");

    @TempDir
    Path dir;

    static Stream<Preset> presets() {
        return Presets.X86_64.stream();
    }

    private static boolean haveIasl() {
        try {
            Process p = new ProcessBuilder("iasl", "-v").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String iasl(Path cwd, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("iasl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("iasl " + String.join(" ", args) + " hung");
        }
        assertEquals(0, p.exitValue(), () -> "iasl " + String.join(" ", args) + ":\n" + out);
        return out;
    }

    private static long count(String text, String needle) {
        return text.lines().filter(l -> l.contains(needle)).count();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presets")
    void tablesDisassembleCleanly(Preset preset) throws Exception {
        assumeTrue(haveIasl(), "iasl not installed (Debian package acpica-tools)");
        Topology topo = preset.topology();
        FirmwareDump.Result r = FirmwareDump.write(topo, dir);
        for (Path table : r.tables()) {
            String name = table.getFileName().toString();
            if (name.equals("RSDP.dat")) {
                continue;
            }
            String out = iasl(dir, "-d", name);
            assertFalse(PROBLEM.matcher(out.replace("Errors", "")).find(), () -> name + ":\n" + out);
            String dsl = Files.readString(dir.resolve(name.replace(".dat", ".dsl")));
            assertFalse(PROBLEM.matcher(dsl).find(), () -> name + " disassembly mentions a problem:\n" + dsl);
        }
        String madt = Files.readString(dir.resolve("APIC.dsl"));
        assertEquals(topo.totalCpus(), count(madt, "[Processor Local APIC]") + count(madt, "[Processor Local x2APIC]"));
        assertEquals(1, count(madt, "[I/O APIC]"));
        assertEquals(2, count(madt, "[Interrupt Source Override]"));

        String srat = Files.readString(dir.resolve("SRAT.dsl"));
        assertEquals(topo.totalCpus(), count(srat, "[Processor Local APIC/SAPIC Affinity]")
                + count(srat, "[Processor Local x2APIC Affinity]"));
        long memoryMb = Math.max(256, topo.totalCpus() * 64L);
        long[] nodes = new long[topo.numaNodes()];
        for (int n = 0; n < nodes.length; n++) {
            long base = memoryMb / nodes.length;
            nodes[n] = (n == nodes.length - 1 ? memoryMb - base * (nodes.length - 1) : base) << 20;
        }
        assertEquals(MemoryLayout.of(nodes, 0).ranges().size(), count(srat, "[Memory Affinity]"));

        String slit = Files.readString(dir.resolve("SLIT.dsl"));
        assertEquals(topo.numaNodes(), count(slit, "Locality   "), slit);

        if (topo.numaNodes() > 1) {
            String hmat = Files.readString(dir.resolve("HMAT.dsl"));
            assertEquals(topo.numaNodes(), count(hmat, "[Memory Proximity Domain Attributes]"));
            assertEquals(2, count(hmat, "[System Locality Latency and Bandwidth Information]"));
        } else {
            assertFalse(Files.exists(dir.resolve("HMAT.dat")));
        }

        String fadt = Files.readString(dir.resolve("FACP.dsl"));
        assertEquals(1, count(fadt, "PM1A Control Block Address : 00000604"), fadt);

        // The DSDT's AML compiles back, unoptimised, to the same bytes after the header (iasl writes its
        // own compiler id there).
        iasl(dir, "-oa", "-p", "recompiled", "DSDT.dsl");
        byte[] ours = Files.readAllBytes(dir.resolve("DSDT.dat"));
        byte[] again = Files.readAllBytes(dir.resolve("recompiled.aml"));
        assertArrayEquals(Arrays.copyOfRange(ours, 36, ours.length), Arrays.copyOfRange(again, 36, again.length));
    }
}

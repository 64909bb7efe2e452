package dev.ktstr.runtime.cli.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ktstr.runtime.stats.Fixtures;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders {@code ktstr stats report} in headless Chromium (Debian package {@code chromium}): the page
 * must load with no console errors, its script must run, and the charts must exist. The screenshots
 * are kept under {@code target/ktstr-report/} as the test's output.
 */
class ReportChromiumTest {

    private static final Path OUT = Path.of("target", "ktstr-report");

    @TempDir
    Path tmp;

    @Test
    void comparisonReportRendersWithChartsAndNoConsoleErrors() throws Exception {
        Path chromium = chromium();
        Path[] ab = Fixtures.abPair(tmp);
        Path html = OUT.resolve("report-ab.html").toAbsolutePath();
        assertEquals(0, run("report", ab[1].toString(), "--vs", ab[0].toString(), "--out", html.toString()));
        Browser b = browse(chromium, html, OUT.resolve("report-ab.png"));
        assertTrue(b.dom.contains("data-ready=\""), "the page's script did not run:\n" + b.log);
        assertEquals(List.of(), b.consoleErrors, "console errors:\n" + b.log);
        assertTrue(b.consoleLines.stream().anyMatch(l -> l.contains("ktstr-report: ready")),
                "console capture works (the page logs a ready line):\n" + b.log);
        assertTrue(count(b.dom, "<svg class=\"forest\"") >= 5, "per-metric comparison charts");
        assertTrue(count(b.dom, "<svg class=\"timeline\"") == 6, "one timeline per test");
        assertTrue(b.dom.contains("<table id=\"verdicts\""), "verdict table");
        assertTrue(b.dom.contains("badge regression"), "regressions listed");
        assertTrue(b.dom.contains("KtstrResultTruncated"), "unreadable file named");
        assertTrue(Files.size(OUT.resolve("report-ab.png")) > 10_000, "screenshot written");
    }

    @Test
    void singleRunReportRendersDistributions() throws Exception {
        Path chromium = chromium();
        Path[] ab = Fixtures.abPair(tmp);
        Path html = OUT.resolve("report-run.html").toAbsolutePath();
        assertEquals(0, run("report", ab[0].toString(), "--out", html.toString()));
        Browser b = browse(chromium, html, OUT.resolve("report-run.png"));
        assertEquals(List.of(), b.consoleErrors, "console errors:\n" + b.log);
        assertTrue(b.dom.contains("data-ready=\"0\""), "script ran (no verdict rows without a baseline)");
        assertTrue(count(b.dom, "<svg class=\"dist\"") >= 10, "per-metric charts");
        assertTrue(count(b.dom, "<svg class=\"timeline\"") == 6, "timelines");
    }

    @Test
    void pageHasNoExternalResources() throws Exception {
        Path[] ab = Fixtures.abPair(tmp);
        Path html = tmp.resolve("r.html");
        assertEquals(0, run("report", ab[1].toString(), "--vs", ab[0].toString(), "--out", html.toString()));
        String page = Files.readString(html);
        for (String bad : new String[] {"<script src", "<link", "@import", "url(", "http://", "https://"}) {
            assertTrue(!page.contains(bad), "report refers to an external resource: " + bad);
        }
    }

    private static int run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = StatsCommand.execute(new PrintWriter(out), new PrintWriter(err), args);
        assertEquals("", err.toString(), "stderr");
        return rc;
    }

    private static Path chromium() {
        for (String p : new String[] {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        assumeTrue(false, "headless Chromium not installed (Debian: apt-get install --no-install-recommends chromium)");
        return null;
    }

    private record Browser(String dom, String log, List<String> consoleLines, List<String> consoleErrors) {}

    private static final Pattern CONSOLE = Pattern.compile(":(INFO|WARNING|ERROR|VERBOSE\\d*):CONSOLE(?:\\(\\d+\\))?\\]? ?(.*)");

    private Browser browse(Path chromium, Path html, Path screenshot) throws IOException, InterruptedException {
        Files.createDirectories(screenshot.toAbsolutePath().getParent());
        String dom = chrome(chromium, html, "--dump-dom");
        String domLog = lastLog;
        chrome(chromium, html, "--screenshot=" + screenshot.toAbsolutePath(), "--window-size=1400,2600",
                "--hide-scrollbars");
        List<String> console = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (String line : domLog.split("\\R")) {
            Matcher m = CONSOLE.matcher(line);
            if (m.find()) {
                console.add(line);
                if (m.group(1).equals("ERROR") || line.contains("Uncaught") || line.contains("Error")) {
                    errors.add(line);
                }
            }
        }
        return new Browser(dom, domLog, console, errors);
    }

    private String lastLog = "";

    private String chrome(Path chromium, Path html, String... extra) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(tmp, "chromium");
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0"));
        cmd.addAll(List.of(extra));
        cmd.add(html.toUri().toString());
        Path stdout = tmp.resolve("chromium.out");
        Path stderr = tmp.resolve("chromium.err");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("chromium did not finish in 120 s: " + Files.readString(stderr));
        }
        lastLog = Files.readString(stderr, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "chromium exit status; log:\n" + lastLog);
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

}

package dev.ktstr.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The guides in {@code docs/} quote this module: every code block preceded by
 * {@code <!-- from PATH -->} must appear verbatim in that file, so the documented examples are the
 * ones that compile here.
 */
class DocsInSyncTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final String MARKER = "<!-- from ";

    @Test
    void everyQuotedBlockIsInItsFile() throws IOException {
        List<Path> guides;
        try (Stream<Path> s = Files.list(REPO.resolve("docs"))) {
            guides = s.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        }
        int checked = 0;
        List<String> stale = new ArrayList<>();
        for (Path guide : guides) {
            List<String> lines = Files.readAllLines(guide);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).trim();
                if (!line.startsWith(MARKER)) {
                    continue;
                }
                String file = line.substring(MARKER.length(), line.length() - "-->".length()).trim();
                if (i + 1 >= lines.size() || !lines.get(i + 1).startsWith("```")) {
                    stale.add(guide.getFileName() + ":" + (i + 1) + " marker without a code block");
                    continue;
                }
                List<String> block = new ArrayList<>();
                int j = i + 2;
                while (j < lines.size() && !lines.get(j).startsWith("```")) {
                    block.add(lines.get(j++));
                }
                String text = Files.readString(REPO.resolve(file));
                if (!text.contains(String.join("\n", block))) {
                    stale.add(guide.getFileName() + ":" + (i + 1) + " quotes " + file + " but the file says otherwise");
                }
                checked++;
            }
        }
        assertTrue(stale.isEmpty(), String.join("\n", stale));
        assertTrue(checked >= 5, "expected the guides to quote the examples, found " + checked + " quotes");
    }
}

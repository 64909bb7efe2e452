package dev.ktstr.runtime.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A Custom program shipped with the test runs from where the initramfs puts it. */
class IncludedProgramsTest {

    @Test
    void aShippedFileRunsFromIncludeFiles() {
        List<String> inc = List.of("/usr/bin/stress-ng", "hackbench", "/opt/tools/");
        assertEquals("/include-files/stress-ng", IncludedPrograms.locate(inc, Path.of("/usr/bin/stress-ng")));
        assertEquals("/include-files/hackbench", IncludedPrograms.locate(inc, Path.of("/usr/bin/hackbench")));
        assertEquals("/include-files/tools/bin/load", IncludedPrograms.locate(inc, Path.of("/opt/tools/bin/load")));
    }

    @Test
    void anythingElseKeepsItsPath() {
        List<String> inc = List.of("/usr/bin/stress-ng");
        assertEquals("/bin/sh", IncludedPrograms.locate(inc, Path.of("/bin/sh")));
        assertEquals("/usr/local/bin/stress-ng", IncludedPrograms.locate(inc, Path.of("/usr/local/bin/stress-ng")),
                "the same name elsewhere was not shipped");
    }
}

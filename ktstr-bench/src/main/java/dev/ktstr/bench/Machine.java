package dev.ktstr.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about the machine a benchmark ran on, printed beside its figures. */
public final class Machine {

    private Machine() {}

    /** {@code /proc/loadavg}: on a shared machine the load moves every figure. */
    public static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}

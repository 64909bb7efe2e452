package dev.ktstr.runtime.runner;

import dev.ktstr.kvm.initramfs.InitramfsLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Where a Custom work program ({@link dev.ktstr.runtime.scenario.WorkType.Custom}, named by its host
 * path) is in the guest: a file shipped with {@code @KtstrTest(extraIncludeFiles)} (or by the
 * scheduler) lands at {@code /include-files/<its name>}, a shipped directory's files below
 * {@code /include-files/<directory name>}. Any other path is used as it is, for programs the guest
 * has itself ({@code /bin/sh} and the other busybox applets).
 */
final class IncludedPrograms {

    private IncludedPrograms() {}

    /** The program locator for a guest built with these include sources (paths, or bare names looked up in PATH). */
    static Function<Path, String> locator(List<String> includes) {
        return program -> locate(includes, program);
    }

    static String locate(List<String> includes, Path program) {
        Path abs = program.toAbsolutePath().normalize();
        for (String inc : includes) {
            String trimmed = inc.length() > 1 && inc.endsWith("/") ? inc.substring(0, inc.length() - 1) : inc;
            String name = trimmed.substring(trimmed.lastIndexOf('/') + 1);
            if (!trimmed.contains("/")) {
                // a bare command name: shipped under its own name
                if (program.getFileName() != null && program.getFileName().toString().equals(name)) {
                    return InitramfsLayout.INCLUDE_DIR + "/" + name;
                }
                continue;
            }
            Path src = Path.of(trimmed).toAbsolutePath().normalize();
            if (abs.equals(src)) {
                return InitramfsLayout.INCLUDE_DIR + "/" + name;
            }
            if (abs.startsWith(src)) {
                return InitramfsLayout.INCLUDE_DIR + "/" + name + "/" + src.relativize(abs);
            }
        }
        return abs.toString();
    }
}

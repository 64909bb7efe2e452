package dev.ktstr.runtime.sched.build;

import dev.ktstr.runtime.kernel.process.ProcessResult;
import dev.ktstr.runtime.kernel.process.ProcessRunner;
import dev.ktstr.runtime.sched.SchedulerException;
import dev.ktstr.runtime.sched.SchedulerException.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of a kernel source tree that {@code tools/sched_ext} needs, found by tracing every file a
 * full build of the eight example schedulers opened (strace, 7.3.4): the sched_ext sources and
 * headers, libbpf, bpftool (which compiles {@code kernel/bpf/disasm.c}), the tools build system, the
 * UAPI headers libbpf compares against, and {@code scripts/bpf_doc.py} (which generates
 * {@code bpf_helper_defs.h}). 5.8 MB of the 1.5 GB tree; extracting it from Debian's
 * {@code linux-source-7.3.tar.xz} still has to decompress the whole archive (about 30 s here).
 */
public final class SourceSubset {

    /** Paths inside the tree (relative to its top directory) that are extracted. */
    public static final List<String> MEMBERS = List.of(
            "tools/sched_ext",
            "tools/lib/bpf",
            "tools/include",
            "tools/build",
            "tools/scripts",
            "tools/bpf/bpftool",
            "tools/arch/x86/include",
            "kernel/bpf/disasm.c",
            "kernel/bpf/disasm.h",
            "scripts/bpf_doc.py",
            "include/uapi/linux/bpf.h",
            "include/uapi/linux/bpf_common.h",
            "include/uapi/linux/if_xdp.h");

    private static final Duration EXTRACT_TIMEOUT = Duration.ofMinutes(10);

    private SourceSubset() {}

    /**
     * Extracts {@link #MEMBERS} of {@code archive} (a {@code .tar.xz} whose entries start with
     * {@code topDir/}) into {@code into}, so the tree lands at {@code into/topDir}.
     */
    public static Path extract(Path archive, String topDir, Path into) throws SchedulerException {
        List<String> cmd = new ArrayList<>(List.of("tar", "-xJf", archive.toString(), "-C", into.toString()));
        for (String m : MEMBERS) {
            cmd.add(topDir + "/" + m);
        }
        ProcessResult r = run(cmd);
        if (!r.ok()) {
            throw new SchedulerException(Kind.FETCH_FAILED, "cannot extract the sched_ext sources from "
                    + archive.getFileName() + ": " + r.describeFailure());
        }
        Path tree = into.resolve(topDir);
        if (!Files.isRegularFile(tree.resolve("tools/sched_ext/Makefile"))) {
            throw new SchedulerException(Kind.FETCH_FAILED, archive.getFileName() + " has no "
                    + topDir + "/tools/sched_ext/Makefile: this kernel source has no sched_ext examples");
        }
        return tree;
    }

    static ProcessResult run(List<String> cmd) throws SchedulerException {
        try {
            return ProcessRunner.run(ProcessRunner.Spec.of(EXTRACT_TIMEOUT, cmd));
        } catch (IOException e) {
            throw new SchedulerException(Kind.TOOL_MISSING, "cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchedulerException(Kind.FETCH_FAILED, "interrupted while running " + cmd.get(0), e);
        }
    }
}

package dev.ktstr.runtime.sched.build;

import dev.ktstr.runtime.kernel.image.Sha256;
import dev.ktstr.runtime.sched.SchedulerException;
import dev.ktstr.runtime.sched.SchedulerException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * The C sources ktstr builds next to the kernel's example schedulers, shipped as resources of the
 * runtime jar (the repository's {@code schedulers/} directory): the fixture scheduler
 * {@code ktstr_fixture} and the {@code ktstr_progs} tool that lists loaded BPF programs with their
 * verified instruction counts. Their digest is recorded in a build's metadata, so editing them
 * rebuilds the cache entry.
 */
public final class BundledSources {

    static final String ROOT = "/dev/ktstr/runtime/sched/sources/";
    /** The fixture's files, copied into {@code tools/sched_ext} so the kernel's Makefile builds it. */
    static final List<String> FIXTURE = List.of("ktstr-fixture/ktstr_fixture.bpf.c", "ktstr-fixture/ktstr_fixture.c");
    /** The program-listing tool's source. */
    static final String PROGS = "ktstr-progs/ktstr_progs.c";

    private BundledSources() {}

    /** Every bundled file, in a fixed order. */
    static List<String> all() {
        return List.of(FIXTURE.get(0), FIXTURE.get(1), PROGS);
    }

    /** One bundled file's bytes. */
    static byte[] read(String relative) throws SchedulerException {
        try (InputStream in = BundledSources.class.getResourceAsStream(ROOT + relative)) {
            if (in == null) {
                throw new SchedulerException(Kind.BUILD_FAILED, "resource " + ROOT + relative + " is missing from the "
                        + "ktstr runtime (a build without the repository's schedulers/ directory?)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new SchedulerException(Kind.BUILD_FAILED, "cannot read resource " + ROOT + relative + ": " + e, e);
        }
    }

    /** Writes {@code relative}'s content to {@code dir/<its file name>}. */
    static Path copyTo(String relative, Path dir) throws SchedulerException {
        Path target = dir.resolve(relative.substring(relative.lastIndexOf('/') + 1));
        try {
            Files.write(target, read(relative));
            return target;
        } catch (IOException e) {
            throw new SchedulerException(Kind.BUILD_FAILED, "cannot write " + target + ": " + e, e);
        }
    }

    /** SHA-256 over every bundled file's name and content (first 16 hex digits). */
    public static String digest() throws SchedulerException {
        MessageDigest md = Sha256.digest();
        for (String f : all()) {
            md.update(f.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(read(f));
        }
        return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    }
}

package dev.ktstr.runtime.sched.build;

import dev.ktstr.runtime.kernel.KernelEnvironment;
import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.ProgressSink;
import dev.ktstr.runtime.kernel.debian.AptSession;
import dev.ktstr.runtime.kernel.debian.DebDownload;
import dev.ktstr.runtime.kernel.debian.DebDownloader;
import dev.ktstr.runtime.kernel.debian.DebianMirror;
import dev.ktstr.runtime.kernel.process.ProcessResult;
import dev.ktstr.runtime.sched.SchedulerException;
import dev.ktstr.runtime.sched.SchedulerException.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Downloads Debian's {@code linux-source-<series>} package (an {@code all} package holding the
 * kernel tree as {@code /usr/src/linux-source-<series>.tar.xz}) through a private apt session on
 * the machine's own mirror, the same way kernels are fetched ({@link AptSession},
 * {@link DebianMirror}): the system's apt configuration is never changed, and the .deb is checked
 * against the size and digest of the signed archive index before it is unpacked.
 */
final class LinuxSourceFetcher {

    /** What was fetched: the package, its Debian version and the unpacked tree. */
    record Fetched(String packageName, String version, String debHash, Path tree) {}

    private final KernelEnvironment env;
    private final ProgressSink progress;

    LinuxSourceFetcher(KernelEnvironment env, ProgressSink progress) {
        this.env = env;
        this.progress = progress;
    }

    /** {@code linux-source-7.3} for series {@code 7.3}. */
    static String packageName(String series) {
        return "linux-source-" + series;
    }

    /**
     * Fetches the newest {@code linux-source-<series>} of {@code suite} and extracts the
     * {@link SourceSubset} into {@code scratch/tree}; {@code scratch} is a fresh directory the
     * caller deletes.
     */
    Fetched fetch(String series, String suite, Path scratch) throws SchedulerException {
        String pkg = packageName(series);
        try {
            DebianMirror mirror = DebianMirror.fromMachine(env);
            progress.stage("using Debian mirror " + mirror.uri() + " (from " + mirror.origin() + "), suite " + suite);
            try (AptSession apt = AptSession.open(scratch.resolve("apt"), mirror, suite, AptSession.DEBIAN_KEYRING)) {
                progress.stage("updating the package index of " + suite);
                apt.update();
                List<DebDownload> d;
                try {
                    d = apt.printUris(List.of(pkg));
                } catch (KernelException e) {
                    throw new SchedulerException(Kind.FETCH_FAILED, "no package " + pkg + " in " + suite + " ("
                            + e.getMessage() + "): the schedulers are built from the kernel's own sources, which "
                            + "Debian publishes only for its kernel series; set KTSTR_SCHEDULER_DIR to schedulers "
                            + "built elsewhere", e);
                }
                DebDownload deb = d.stream().filter(x -> x.packageName().equals(pkg)).findFirst().orElseThrow();
                Path archives = apt.directory().resolve("archives");
                long t0 = System.nanoTime();
                Path file;
                if (DebDownloader.canFetch(deb.uri())) {
                    file = DebDownloader.create(apt.httpProxy()).download(deb, archives, progress);
                } else {
                    progress.stage("downloading " + deb.fileName() + " with apt");
                    apt.downloadWithApt(List.of(pkg), archives);
                    file = archives.resolve(deb.fileName());
                    DebDownloader.verify(deb, file);
                }
                long t1 = System.nanoTime();
                progress.stage("unpacking " + deb.fileName());
                Path unpacked = scratch.resolve("deb");
                ProcessResult r = SourceSubset.run(List.of("dpkg-deb", "-x", file.toString(), unpacked.toString()));
                if (!r.ok()) {
                    throw new SchedulerException(Kind.FETCH_FAILED, "cannot unpack " + deb.fileName() + ": "
                            + r.describeFailure());
                }
                Path archive = unpacked.resolve("usr/src/" + pkg + ".tar.xz");
                if (!Files.isRegularFile(archive)) {
                    throw new SchedulerException(Kind.FETCH_FAILED, deb.fileName() + " holds no usr/src/" + pkg
                            + ".tar.xz");
                }
                progress.stage("extracting the sched_ext sources from " + archive.getFileName()
                        + " (decompresses the whole archive)");
                Path tree = SourceSubset.extract(archive, pkg, Files.createDirectories(scratch.resolve("tree")));
                long t2 = System.nanoTime();
                progress.stage(String.format(Locale.ROOT, "%s %s: download %.1f s, unpack and extract %.1f s", pkg,
                        deb.packageVersion(), (t1 - t0) / 1e9, (t2 - t1) / 1e9));
                return new Fetched(pkg, deb.packageVersion(), deb.hashType() + ":" + deb.hash(), tree);
            }
        } catch (KernelException e) {
            throw new SchedulerException(Kind.FETCH_FAILED, "cannot fetch " + pkg + ": " + e.getMessage(), e);
        } catch (java.io.IOException e) {
            throw new SchedulerException(Kind.CACHE_IO, "cannot create " + scratch + ": " + e, e);
        }
    }
}

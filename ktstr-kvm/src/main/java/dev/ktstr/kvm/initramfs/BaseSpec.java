package dev.ktstr.kvm.initramfs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the cached base archive holds, before anything is resolved: the agent as {@code /init}, an
 * optional scheduler, included files, optional busybox, extra directories, and how hard to compress.
 * Immutable; build one with {@link #builder(Path)}. Two specs that resolve to the same files, bytes
 * and layout share one cached base, whichever process built it.
 *
 * @param init        the guest agent (static ELF normally), stored as {@link InitramfsLayout#INIT}
 * @param scheduler   the scheduler binary, stored as {@link InitramfsLayout#SCHEDULER}
 * @param includes    further files and directories
 * @param busybox     a static busybox ({@code /bin/busybox} of Debian's {@code busybox-static}),
 *                    stored as {@link InitramfsLayout#BUSYBOX} with a symlink per applet
 * @param directories extra empty directories (absolute archive paths, mode 0755)
 * @param level       LZ4 compression level of the base
 */
public record BaseSpec(Path init, Optional<Path> scheduler, List<Include> includes, Optional<Path> busybox,
        List<String> directories, Lz4Legacy.Level level) {

    public BaseSpec {
        Objects.requireNonNull(init, "init");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(busybox, "busybox");
        Objects.requireNonNull(level, "level");
        includes = List.copyOf(includes);
        directories = List.copyOf(directories);
        directories.forEach(ArchivePaths::check);
    }

    public static Builder builder(Path init) {
        return new Builder(init);
    }

    /** Collects a {@link BaseSpec}. */
    public static final class Builder {
        private final Path init;
        private Path scheduler;
        private final List<Include> includes = new ArrayList<>();
        private Path busybox;
        private final List<String> directories = new ArrayList<>();
        private Lz4Legacy.Level level = Lz4Legacy.Level.FAST;

        private Builder(Path init) {
            this.init = Objects.requireNonNull(init, "init");
        }

        public Builder scheduler(Path binary) {
            this.scheduler = binary;
            return this;
        }

        /** A file, directory or bare command name, at {@code /include-files/<name>}. */
        public Builder include(String source) {
            includes.add(Include.of(source));
            return this;
        }

        /** A file or directory at an explicit archive path. */
        public Builder include(String source, String destination) {
            includes.add(Include.at(source, destination));
            return this;
        }

        public Builder include(Include include) {
            includes.add(Objects.requireNonNull(include, "include"));
            return this;
        }

        public Builder busybox(Path binary) {
            this.busybox = binary;
            return this;
        }

        public Builder directory(String archivePath) {
            directories.add(ArchivePaths.check(archivePath));
            return this;
        }

        public Builder level(Lz4Legacy.Level level) {
            this.level = Objects.requireNonNull(level, "level");
            return this;
        }

        public BaseSpec build() {
            return new BaseSpec(init, Optional.ofNullable(scheduler), includes, Optional.ofNullable(busybox),
                    directories, level);
        }
    }
}

package dev.ktstr.kvm.engine;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * One piece of the initramfs as the engine loads it: a file (e.g. a cached base archive in
 * {@code /dev/shm}) or bytes in memory (e.g. the small per-run suffix).
 */
public sealed interface InitramfsPart {

    long size();

    /** A file, loaded whole. */
    record FilePart(Path path, long size) implements InitramfsPart {}

    /** Bytes in memory, loaded from position to limit. */
    record BytesPart(ByteBuffer bytes) implements InitramfsPart {
        @Override
        public long size() {
            return bytes.remaining();
        }
    }
}

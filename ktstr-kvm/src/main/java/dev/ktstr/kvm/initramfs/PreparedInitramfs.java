package dev.ktstr.kvm.initramfs;

import dev.ktstr.kvm.engine.InitramfsPart;
import java.util.List;

/**
 * The initramfs of one VM: a base (the cached segment, or bytes built without the cache) followed by
 * the per-run suffix, as the engine loads them — two concatenated LZ4 legacy streams.
 *
 * @param base             the base archive part ({@link InitramfsPart.FilePart} of a cached segment,
 *                         or {@link InitramfsPart.BytesPart} when built without the cache)
 * @param suffix           the per-run suffix
 * @param key              the base's content key
 * @param uncompressedSize bytes of both cpio archives once decompressed (for sizing guest memory)
 */
public record PreparedInitramfs(InitramfsPart base, Suffix suffix, String key, long uncompressedSize) {

    /** The parts in load order: base, then suffix. */
    public List<InitramfsPart> parts() {
        return List.of(base, suffix.part());
    }

    /** Bytes the initrd occupies in guest memory (both streams). */
    public long initrdSize() {
        return base.size() + suffix.part().size();
    }
}

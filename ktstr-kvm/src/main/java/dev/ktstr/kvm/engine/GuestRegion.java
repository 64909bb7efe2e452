package dev.ktstr.kvm.engine;

import java.nio.ByteBuffer;

/**
 * A contiguous region of guest RAM mapped into the host, e.g. the agent channel's rings.
 *
 * @param gpa     guest physical address of the first byte
 * @param buffer  a direct little-endian buffer over the region (position 0 = {@code gpa}); shared
 *                with the guest, so use acquire/release accesses for cross-side synchronisation
 */
public record GuestRegion(long gpa, ByteBuffer buffer) {

    public long size() {
        return buffer.capacity();
    }
}

package dev.ktstr.kvm.vmm.boot;

import dev.ktstr.kvm.engine.InitramfsPart;
import dev.ktstr.kvm.vmm.memory.GuestRam;
import java.io.IOException;
import java.util.List;

/**
 * Puts the initramfs pieces into guest RAM, back to back from a page-aligned address (the kernel
 * unpacks concatenated cpio archives one after the other, Documentation/driver-api/early-userspace/
 * buffer-format.rst). This is the seam where a copy-on-write mapping of a cached base archive can
 * replace copying: an implementation may map the first part's pages over the RAM mapping instead of
 * writing them.
 */
public interface InitramfsLoader {

    /** Loads {@code parts} at {@code gpa}; returns the total size in bytes. */
    long load(GuestRam ram, long gpa, List<InitramfsPart> parts) throws IOException;

    /** Total bytes of {@code parts}. */
    static long totalSize(List<InitramfsPart> parts) {
        return parts.stream().mapToLong(InitramfsPart::size).sum();
    }
}

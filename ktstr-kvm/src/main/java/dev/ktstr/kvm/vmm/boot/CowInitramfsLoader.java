package dev.ktstr.kvm.vmm.boot;

import dev.ktstr.kvm.engine.InitramfsPart;
import dev.ktstr.kvm.initramfs.CowMapping;
import dev.ktstr.kvm.vmm.memory.GuestRam;
import java.io.IOException;
import java.util.List;

/**
 * Loads the initramfs without copying its cached base: a base that is a file (the shared-memory
 * segment of {@code dev.ktstr.kvm.initramfs.BaseCache}) is mapped copy-on-write at the initrd address,
 * so concurrent guests share its pages; the small per-run suffix is copied right after it. Falls back
 * to {@link CopyingInitramfsLoader} when the first part is not a file or the address is not
 * page-aligned.
 */
public final class CowInitramfsLoader implements InitramfsLoader {

    private final CopyingInitramfsLoader copying = new CopyingInitramfsLoader();

    @Override
    public long load(GuestRam ram, long gpa, List<InitramfsPart> parts) throws IOException {
        if (parts.isEmpty() || !(parts.get(0) instanceof InitramfsPart.FilePart base)) {
            return copying.load(ram, gpa, parts);
        }
        long page = CowMapping.pageSize();
        long host = ram.hostAddress(gpa);
        if (gpa % page != 0 || host % page != 0 || !ram.contains(gpa, InitramfsLoader.totalSize(parts))) {
            return copying.load(ram, gpa, parts);
        }
        CowMapping.mapPrivateFixed(base.path(), host, base.size());
        long rest = copying.load(ram, gpa + base.size(), parts.subList(1, parts.size()));
        return base.size() + rest;
    }
}

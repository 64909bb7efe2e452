package dev.ktstr.runtime.kernel;

import dev.ktstr.kvm.engine.KernelImage;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A kernel ready to boot, as the VM engines need it: the boot image, the uncompressed vmlinux (for
 * the faster PVH entry and for BTF), the config, and the recorded facts.
 *
 * @param image    the boot image (a bzImage, or a vmlinux ELF when that is all that was given)
 * @param vmlinux  the uncompressed ELF, when known
 * @param config   the kernel's {@code .config}, when known
 * @param release  the kernel release ({@code uname -r} inside the guest)
 * @param cacheKey the cache entry it lives in, if any
 * @param metadata the recorded facts (synthesised for kernels that are not cached)
 * @param origin   how it was found
 */
public record ResolvedKernel(Path image, Optional<Path> vmlinux, Optional<Path> config, String release,
        Optional<String> cacheKey, KernelMetadata metadata, Origin origin) {

    /** How a kernel was found, in discovery order. */
    public enum Origin {
        /** Named by {@code KTSTR_KERNEL}. */
        ENVIRONMENT,
        /** The newest valid cache entry. */
        CACHE,
        /** Fetched just now because nothing else was there. */
        FETCHED,
        /** The host's {@code /boot/vmlinuz-$(uname -r)}; its BTF and sched_ext facts may be unknown. */
        HOST_BOOT
    }

    /**
     * The image the engines should boot: the vmlinux through its PVH entry when it has one (no
     * decompression, about 1 s faster under emulation), else the bzImage.
     */
    public KernelImage bootImage() {
        if (vmlinux.isPresent() && metadata.pvhEntry() == FeatureState.YES) {
            return new KernelImage(vmlinux.get(), KernelImage.Format.ELF_PVH);
        }
        return new KernelImage(image, KernelImage.Format.BZIMAGE);
    }

    /** One line for logs and result files: release, key and origin. */
    public String describe() {
        return release + cacheKey.map(k -> " [" + k + "]").orElse("") + " (" + origin.name().toLowerCase() + ", "
                + metadata.source().kindName() + ")";
    }
}

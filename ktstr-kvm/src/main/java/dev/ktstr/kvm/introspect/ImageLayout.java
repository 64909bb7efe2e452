package dev.ktstr.kvm.introspect;

/**
 * Where a kernel image was linked: the virtual address range of its loaded segments in the kernel
 * image mapping (from {@code .text} to the end of {@code .bss}/{@code .brk}). Addresses in this range
 * translate by {@code kva - __START_KERNEL_map + phys_base}.
 *
 * @param textAddress link address of {@code _text}
 * @param end         first address past the last loaded segment
 */
public record ImageLayout(long textAddress, long end) {

    public ImageLayout {
        if (Long.compareUnsigned(textAddress, KernelAddressSpace.START_KERNEL_MAP) < 0
                || Long.compareUnsigned(end, textAddress) <= 0) {
            throw new IllegalArgumentException("kernel image [0x" + Long.toHexString(textAddress) + ", 0x"
                    + Long.toHexString(end) + ") is not inside the kernel image mapping");
        }
    }
}

package dev.ktstr.kvm.vmm.x86;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A parsed bzImage: the real-mode setup header and where the protected-mode kernel starts in the file
 * (Documentation/arch/x86/boot.rst, "The Real-Mode Kernel Header" and "Details of Header Fields",
 * protocol 2.12+ for the 64-bit entry). Offsets below are file offsets, equal to zero-page offsets.
 *
 * @param headerBytes  the header as it appears at 0x1F1 up to its end ({@code 0x202 + byte[0x201]})
 * @param payloadOffset file offset of the protected-mode kernel ({@code (setup_sects + 1) * 512})
 * @param payloadSize  its length in bytes
 */
public record BzImage(int setupSects, int protocolVersion, int loadFlags, int xloadFlags, long initrdAddrMax,
        long kernelAlignment, boolean relocatable, int cmdlineSize, long prefAddress, long initSize,
        byte[] headerBytes, long payloadOffset, long payloadSize) {

    public static final int HEADER_START = 0x1F1;
    public static final int OFF_SETUP_SECTS = 0x1F1;
    public static final int OFF_VID_MODE = 0x1FA;
    public static final int OFF_BOOT_FLAG = 0x1FE;
    public static final int OFF_JUMP = 0x200;
    public static final int OFF_HEADER_MAGIC = 0x202;
    public static final int OFF_VERSION = 0x206;
    public static final int OFF_TYPE_OF_LOADER = 0x210;
    public static final int OFF_LOADFLAGS = 0x211;
    public static final int OFF_RAMDISK_IMAGE = 0x218;
    public static final int OFF_RAMDISK_SIZE = 0x21C;
    public static final int OFF_HEAP_END_PTR = 0x224;
    public static final int OFF_CMD_LINE_PTR = 0x228;
    public static final int OFF_INITRD_ADDR_MAX = 0x22C;
    public static final int OFF_KERNEL_ALIGNMENT = 0x230;
    public static final int OFF_RELOCATABLE = 0x234;
    public static final int OFF_XLOADFLAGS = 0x236;
    public static final int OFF_CMDLINE_SIZE = 0x238;
    public static final int OFF_PREF_ADDRESS = 0x258;
    public static final int OFF_INIT_SIZE = 0x260;

    public static final int HDRS_MAGIC = 0x53726448; // "HdrS"
    public static final int BOOT_FLAG = 0xAA55;
    public static final int LOADFLAG_LOADED_HIGH = 0x01;
    public static final int LOADFLAG_CAN_USE_HEAP = 0x80;
    public static final int XLF_KERNEL_64 = 0x01;
    public static final int XLF_CAN_BE_LOADED_ABOVE_4G = 0x02;
    /** Offset of the 64-bit entry ({@code startup_64}) from the load address. */
    public static final int STARTUP_64_OFFSET = 0x200;

    public BzImage {
        headerBytes = headerBytes.clone();
    }

    @Override
    public byte[] headerBytes() {
        return headerBytes.clone();
    }

    /** Parses a whole bzImage file; fails with a message naming what is missing. */
    public static BzImage parse(ByteBuffer file) throws InvalidKernelException {
        ByteBuffer b = file.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int size = b.limit();
        if (size < 0x264) {
            throw new InvalidKernelException("too short for a bzImage setup header (" + size + " bytes)");
        }
        if (Short.toUnsignedInt(b.getShort(OFF_BOOT_FLAG)) != BOOT_FLAG) {
            throw new InvalidKernelException("not a bzImage: no 0xAA55 boot flag at 0x1FE");
        }
        if (b.getInt(OFF_HEADER_MAGIC) != HDRS_MAGIC) {
            throw new InvalidKernelException("not a bzImage: no \"HdrS\" signature at 0x202");
        }
        int version = Short.toUnsignedInt(b.getShort(OFF_VERSION));
        if (version < 0x20C) {
            throw new InvalidKernelException(String.format(
                    "boot protocol %d.%02d is too old for the 64-bit entry (needs 2.12)", version >> 8, version & 0xff));
        }
        int xloadflags = Short.toUnsignedInt(b.getShort(OFF_XLOADFLAGS));
        if ((xloadflags & XLF_KERNEL_64) == 0) {
            throw new InvalidKernelException("bzImage has no 64-bit entry point (xloadflags bit XLF_KERNEL_64 clear)");
        }
        int setupSects = b.get(OFF_SETUP_SECTS) & 0xff;
        if (setupSects == 0) {
            setupSects = 4;
        }
        long payloadOffset = (setupSects + 1L) * 512;
        if (payloadOffset >= size) {
            throw new InvalidKernelException("setup_sects " + setupSects + " points past the end of the file");
        }
        int headerEnd = 0x202 + (b.get(OFF_JUMP + 1) & 0xff);
        if (headerEnd > payloadOffset || headerEnd > 0x1000 || headerEnd < 0x264) {
            throw new InvalidKernelException(String.format("implausible setup header end 0x%x", headerEnd));
        }
        byte[] header = new byte[headerEnd - HEADER_START];
        b.get(HEADER_START, header);
        return new BzImage(setupSects, version, b.get(OFF_LOADFLAGS) & 0xff, xloadflags,
                Integer.toUnsignedLong(b.getInt(OFF_INITRD_ADDR_MAX)),
                Integer.toUnsignedLong(b.getInt(OFF_KERNEL_ALIGNMENT)), b.get(OFF_RELOCATABLE) != 0,
                b.getInt(OFF_CMDLINE_SIZE), b.getLong(OFF_PREF_ADDRESS),
                Integer.toUnsignedLong(b.getInt(OFF_INIT_SIZE)), header, payloadOffset, size - payloadOffset);
    }

    /**
     * The highest address the kernel touches while it decompresses and runs its early code: it
     * decompresses to {@code max(load address, pref_address)} and needs {@code init_size} bytes there.
     */
    public long kernelEnd(long loadAddress) {
        long runAddress = Math.max(loadAddress, prefAddress);
        return Math.max(loadAddress + payloadSize, runAddress + initSize);
    }

    /** Whether a ramdisk may lie above 4 GiB. */
    public boolean initrdAbove4g() {
        return (xloadFlags & XLF_CAN_BE_LOADED_ABOVE_4G) != 0;
    }
}

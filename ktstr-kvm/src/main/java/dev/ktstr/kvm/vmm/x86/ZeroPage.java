package dev.ktstr.kvm.vmm.x86;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Builds the 4 KiB {@code struct boot_params} ("zero page") for the 64-bit boot protocol
 * (Documentation/arch/x86/boot.rst "64-bit Boot Protocol" and Documentation/arch/x86/zero-page.rst):
 * the kernel's own setup header copied in, then the fields a boot loader must fill — loader type,
 * load flags, command line, ramdisk, e820 table and the ACPI RSDP address.
 */
public final class ZeroPage {

    public static final int SIZE = 4096;
    public static final int OFF_ACPI_RSDP_ADDR = 0x070;
    public static final int OFF_EXT_RAMDISK_IMAGE = 0x0C0;
    public static final int OFF_EXT_RAMDISK_SIZE = 0x0C4;
    public static final int OFF_EXT_CMD_LINE_PTR = 0x0C8;
    public static final int OFF_E820_ENTRIES = 0x1E8;
    public static final int OFF_E820_TABLE = 0x2D0;
    public static final int E820_ENTRY_SIZE = 20;
    public static final int E820_MAX = 128;
    /** {@code type_of_loader} 0xFF: "undefined" boot loader (boot.rst, assigned boot loader ids). */
    public static final int LOADER_UNDEFINED = 0xFF;
    /** {@code vid_mode} 0xFFFF: "normal" text mode (we have no video; the kernel ignores it then). */
    public static final int VID_MODE_NORMAL = 0xFFFF;
    /** {@code heap_end_ptr}: end of the setup heap, relative to the real-mode code (boot.rst: 0xDE00 typical). */
    public static final int HEAP_END = 0xFE00;

    private ZeroPage() {}

    public static byte[] build(BzImage image, long cmdlineAddr, long initrdAddr, long initrdSize,
            List<E820Entry> e820, long rsdpAddr) {
        if (e820.size() > E820_MAX) {
            throw new IllegalArgumentException("e820 table has " + e820.size() + " entries, the zero page holds "
                    + E820_MAX);
        }
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(BzImage.HEADER_START, image.headerBytes());
        b.putShort(BzImage.OFF_VID_MODE, (short) VID_MODE_NORMAL);
        b.put(BzImage.OFF_TYPE_OF_LOADER, (byte) LOADER_UNDEFINED);
        int loadflags = image.loadFlags() | BzImage.LOADFLAG_LOADED_HIGH | BzImage.LOADFLAG_CAN_USE_HEAP;
        b.put(BzImage.OFF_LOADFLAGS, (byte) loadflags);
        b.putShort(BzImage.OFF_HEAP_END_PTR, (short) HEAP_END);
        b.putInt(BzImage.OFF_CMD_LINE_PTR, (int) cmdlineAddr);
        b.putInt(OFF_EXT_CMD_LINE_PTR, (int) (cmdlineAddr >>> 32));
        b.putInt(BzImage.OFF_RAMDISK_IMAGE, (int) initrdAddr);
        b.putInt(OFF_EXT_RAMDISK_IMAGE, (int) (initrdAddr >>> 32));
        b.putInt(BzImage.OFF_RAMDISK_SIZE, (int) initrdSize);
        b.putInt(OFF_EXT_RAMDISK_SIZE, (int) (initrdSize >>> 32));
        b.putLong(OFF_ACPI_RSDP_ADDR, rsdpAddr);
        b.put(OFF_E820_ENTRIES, (byte) e820.size());
        for (int i = 0; i < e820.size(); i++) {
            int off = OFF_E820_TABLE + i * E820_ENTRY_SIZE;
            b.putLong(off, e820.get(i).addr());
            b.putLong(off + 8, e820.get(i).size());
            b.putInt(off + 16, e820.get(i).type());
        }
        return b.array();
    }
}

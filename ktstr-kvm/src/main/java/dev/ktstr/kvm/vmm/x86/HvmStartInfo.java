package dev.ktstr.kvm.vmm.x86;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The PVH boot information block ({@code struct hvm_start_info}, version 1, 56 bytes), its module
 * list ({@code struct hvm_modlist_entry}, 32 bytes each) and memory map
 * ({@code struct hvm_memmap_table_entry}, 24 bytes each), as defined in Xen's
 * xen/include/public/arch-x86/hvm/start_info.h. EBX points at the block on entry.
 */
public final class HvmStartInfo {

    public static final int MAGIC = 0x336ec578;
    public static final int VERSION = 1;
    public static final int SIZE = 56;
    public static final int MODLIST_ENTRY_SIZE = 32;
    public static final int MEMMAP_ENTRY_SIZE = 24;

    /** A module (the initrd): physical address and size, no command line. */
    public record Module(long paddr, long size) {}

    private HvmStartInfo() {}

    /** The start-info block pointing at a module list and memory map written at the given addresses. */
    public static byte[] startInfo(long cmdlinePaddr, long rsdpPaddr, int modules, long modlistPaddr, int memmapEntries,
            long memmapPaddr) {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, MAGIC);
        b.putInt(4, VERSION);
        b.putInt(8, 0);
        b.putInt(12, modules);
        b.putLong(16, modules > 0 ? modlistPaddr : 0);
        b.putLong(24, cmdlinePaddr);
        b.putLong(32, rsdpPaddr);
        b.putLong(40, memmapPaddr);
        b.putInt(48, memmapEntries);
        b.putInt(52, 0);
        return b.array();
    }

    public static byte[] modlist(List<Module> modules) {
        ByteBuffer b = ByteBuffer.allocate(modules.size() * MODLIST_ENTRY_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (Module m : modules) {
            b.putLong(m.paddr()).putLong(m.size()).putLong(0).putLong(0);
        }
        return b.array();
    }

    public static byte[] memmap(List<E820Entry> entries) {
        ByteBuffer b = ByteBuffer.allocate(entries.size() * MEMMAP_ENTRY_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (E820Entry e : entries) {
            b.putLong(e.addr()).putLong(e.size()).putInt(e.type()).putInt(0);
        }
        return b.array();
    }
}

package dev.ktstr.kvm.vmm.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Xen public/arch-x86/hvm/start_info.h: hvm_start_info v1, modlist and memmap entries. */
class HvmStartInfoTest {

    @Test
    void startInfoLayout() {
        ByteBuffer b = ByteBuffer.wrap(HvmStartInfo.startInfo(0x20000, 0xE0000, 1, 0x6040, 5, 0x6080))
                .order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(56, b.capacity());
        assertEquals(0x336ec578, b.getInt(0));
        assertEquals(1, b.getInt(4));
        assertEquals(0, b.getInt(8));
        assertEquals(1, b.getInt(12));
        assertEquals(0x6040, b.getLong(16));
        assertEquals(0x20000, b.getLong(24));
        assertEquals(0xE0000, b.getLong(32));
        assertEquals(0x6080, b.getLong(40));
        assertEquals(5, b.getInt(48));
        assertEquals(0, b.getInt(52));
        assertEquals(0, ByteBuffer.wrap(HvmStartInfo.startInfo(0x20000, 0xE0000, 0, 0x6040, 5, 0x6080))
                .order(ByteOrder.LITTLE_ENDIAN).getLong(16), "no module list without modules");
    }

    @Test
    void modlistAndMemmap() {
        ByteBuffer m = ByteBuffer.wrap(HvmStartInfo.modlist(List.of(new HvmStartInfo.Module(0xFE00000, 0x1234))))
                .order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(32, m.capacity());
        assertEquals(0xFE00000, m.getLong(0));
        assertEquals(0x1234, m.getLong(8));
        assertEquals(0, m.getLong(16));
        ByteBuffer e = ByteBuffer.wrap(HvmStartInfo.memmap(List.of(new E820Entry(0, 0x9FC00, 1),
                new E820Entry(0x9FC00, 0x60400, 2)))).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(48, e.capacity());
        assertEquals(0x9FC00, e.getLong(24));
        assertEquals(0x60400, e.getLong(32));
        assertEquals(2, e.getInt(40));
        assertEquals(0, e.getInt(44));
    }
}

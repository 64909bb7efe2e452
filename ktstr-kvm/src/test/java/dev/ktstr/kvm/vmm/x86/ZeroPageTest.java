package dev.ktstr.kvm.vmm.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Documentation/arch/x86/boot.rst and zero-page.rst: header parsing and the loader-filled fields. */
class ZeroPageTest {

    /** A minimal bzImage: boot sector + 2 setup sectors with a protocol 2.15 header, then a payload. */
    static byte[] fakeBzImage(int version, int xloadflags) {
        ByteBuffer b = ByteBuffer.allocate(3 * 512 + 4096).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0x1F1, (byte) 2);
        b.putShort(0x1FE, (short) 0xAA55);
        b.put(0x200, (byte) 0xEB).put(0x201, (byte) 0x6A);
        b.putInt(0x202, 0x53726448);
        b.putShort(0x206, (short) version);
        b.put(0x211, (byte) 0x01);
        b.putInt(0x22C, 0x7FFFFFFF);
        b.putInt(0x230, 0x200000);
        b.put(0x234, (byte) 1);
        b.putShort(0x236, (short) xloadflags);
        b.putInt(0x238, 2047);
        b.putLong(0x258, 0x1000000);
        b.putInt(0x260, 0x3c39000);
        return b.array();
    }

    @Test
    void parsesTheSetupHeader() throws Exception {
        BzImage h = BzImage.parse(ByteBuffer.wrap(fakeBzImage(0x20F, 0x7F)));
        assertEquals(2, h.setupSects());
        assertEquals(0x20F, h.protocolVersion());
        assertEquals(3 * 512, h.payloadOffset());
        assertEquals(4096, h.payloadSize());
        assertEquals(0x7FFFFFFFL, h.initrdAddrMax());
        assertEquals(2047, h.cmdlineSize());
        assertEquals(0x1000000, h.prefAddress());
        assertEquals(0x3c39000, h.initSize());
        assertEquals(0x26C - 0x1F1, h.headerBytes().length);
        assertEquals(0x1000000 + 0x3c39000, h.kernelEnd(0x100000), "decompresses at pref_address");
        assertTrue(h.initrdAbove4g());
    }

    @Test
    void rejectsWhatItCannotBoot() {
        byte[] notBz = fakeBzImage(0x20F, 1);
        notBz[0x202] = 'X';
        assertTrue(assertThrows(InvalidKernelException.class, () -> BzImage.parse(ByteBuffer.wrap(notBz)))
                .getMessage().contains("HdrS"));
        assertTrue(assertThrows(InvalidKernelException.class,
                () -> BzImage.parse(ByteBuffer.wrap(fakeBzImage(0x20A, 1)))).getMessage().contains("2.10"));
        assertTrue(assertThrows(InvalidKernelException.class,
                () -> BzImage.parse(ByteBuffer.wrap(fakeBzImage(0x20F, 0)))).getMessage().contains("64-bit"));
        assertTrue(assertThrows(InvalidKernelException.class, () -> BzImage.parse(ByteBuffer.allocate(100)))
                .getMessage().contains("too short"));
    }

    @Test
    void fillsTheLoaderFields() throws Exception {
        BzImage h = BzImage.parse(ByteBuffer.wrap(fakeBzImage(0x20F, 0x7F)));
        List<E820Entry> e820 = List.of(new E820Entry(0, 0x9FC00, 1), new E820Entry(0x100000, 0x7F00000, 1),
                new E820Entry(0x1_2345_6000L, 0x1000, 2));
        byte[] zp = ZeroPage.build(h, 0x20000, 0x1_0000_0000L + 0x5000, 0x1_0000_0123L, e820, 0xE0000);
        ByteBuffer b = ByteBuffer.wrap(zp).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(4096, zp.length);
        assertEquals(0x53726448, b.getInt(0x202), "kernel header copied in");
        assertEquals(0x7FFFFFFF, b.getInt(0x22C));
        assertEquals((short) 0xFFFF, b.getShort(0x1FA), "vid_mode normal");
        assertEquals((byte) 0xFF, b.get(0x210), "type_of_loader undefined");
        assertEquals((byte) 0x81, b.get(0x211), "LOADED_HIGH | CAN_USE_HEAP");
        assertEquals((short) 0xFE00, b.getShort(0x224));
        assertEquals(0x20000, b.getInt(0x228));
        assertEquals(0, b.getInt(0x0C8));
        assertEquals(0x5000, b.getInt(0x218), "ramdisk_image low 32 bits");
        assertEquals(1, b.getInt(0x0C0), "ext_ramdisk_image high 32 bits");
        assertEquals(0x123, b.getInt(0x21C));
        assertEquals(1, b.getInt(0x0C4));
        assertEquals(0xE0000L, b.getLong(0x070), "acpi_rsdp_addr");
        assertEquals(3, b.get(0x1E8));
        assertEquals(0x100000L, b.getLong(0x2D0 + 20));
        assertEquals(0x7F00000L, b.getLong(0x2D0 + 20 + 8));
        assertEquals(1, b.getInt(0x2D0 + 20 + 16));
        assertEquals(0x1_2345_6000L, b.getLong(0x2D0 + 40));
        assertEquals(2, b.getInt(0x2D0 + 40 + 16));
        assertEquals(0, b.getLong(0x2D0 + 60), "no fourth entry");
    }
}

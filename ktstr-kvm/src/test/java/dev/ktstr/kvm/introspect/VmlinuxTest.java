package dev.ktstr.kvm.introspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmlinuxTest {

    /** A minimal x86-64 ELF with a .text section at {@code textAddr} and no .BTF, no symbols, no notes. */
    static byte[] tinyKernelElf(long textAddr) {
        byte[] shstr = "\0.text\0.shstrtab\0".getBytes(StandardCharsets.US_ASCII);
        int textOff = 64;
        int strOff = textOff + 16;
        int shOff = (strOff + shstr.length + 7) & ~7;
        ByteBuffer b = ByteBuffer.allocate(shOff + 3 * 64).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        b.position(16);
        b.putShort((short) 2).putShort((short) 62).putInt(1).putLong(textAddr).putLong(0).putLong(shOff).putInt(0);
        b.putShort((short) 64).putShort((short) 56).putShort((short) 0).putShort((short) 64).putShort((short) 3)
                .putShort((short) 2);
        b.position(strOff);
        b.put(shstr);
        // section 1: .text PROGBITS; section 2: .shstrtab STRTAB
        b.position(shOff + 64);
        b.putInt(1).putInt(1).putLong(6).putLong(textAddr).putLong(textOff).putLong(16).putInt(0).putInt(0).putLong(16)
                .putLong(0);
        b.putInt(7).putInt(3).putLong(0).putLong(0).putLong(strOff).putLong(shstr.length).putInt(0).putInt(0)
                .putLong(1).putLong(0);
        return b.array();
    }

    @Test
    void aKernelWithoutBtfSaysSo(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("vmlinux-nobtf");
        Files.write(f, tinyKernelElf(0xffffffff81000000L));
        Vmlinux v = Vmlinux.open(f);
        assertEquals(0xffffffff81000000L, v.textAddress());
        assertTrue(v.symbols().isEmpty());
        assertTrue(v.buildId().isEmpty());
        IntrospectException e = assertThrows(IntrospectException.class, v::btf);
        assertEquals(f + " has no .BTF section (kernel built without CONFIG_DEBUG_INFO_BTF)", e.getMessage());
    }

    @Test
    void aUserProgramIsNotAKernel(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("a.out");
        Files.write(f, tinyKernelElf(0x401000L));
        IntrospectException e = assertThrows(IntrospectException.class, () -> Vmlinux.open(f));
        assertTrue(e.getMessage().contains("outside the kernel image mapping"), e.getMessage());
    }
}

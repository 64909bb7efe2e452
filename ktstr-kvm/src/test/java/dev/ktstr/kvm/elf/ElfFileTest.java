package dev.ktstr.kvm.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ElfFileTest {

    /** A dynamically linked binary every Debian machine has. */
    private static final Path LS = Path.of("/bin/ls");

    @Test
    void readsInterpreterAndNeededLibrariesOfADynamicBinary() throws Exception {
        ElfFile elf = ElfFile.open(LS);
        assertEquals(62, elf.machine());
        assertEquals("/lib64/ld-linux-x86-64.so.2", elf.interpreter().orElseThrow());
        assertTrue(elf.dynamicInfo().needed().contains("libc.so.6"), elf.dynamicInfo().toString());
        assertTrue(elf.section(".dynsym").isPresent());
        assertTrue(elf.symbols(true).stream().anyMatch(s -> s.name().startsWith("malloc")));
        assertTrue(elf.notes().stream().anyMatch(n -> n.name().equals("GNU")), "GNU build-id/ABI note");
    }

    @Test
    void rejectsNonElfAndTruncatedInput() throws Exception {
        ElfException e = assertThrows(ElfException.class,
                () -> ElfFile.parse("x", ByteBuffer.wrap(new byte[100])));
        assertTrue(e.getMessage().contains("bad magic"), e.getMessage());
        byte[] head = Files.readAllBytes(LS);
        byte[] cut = java.util.Arrays.copyOf(head, 200);
        ElfException e2 = assertThrows(ElfException.class, () -> ElfFile.parse("cut", ByteBuffer.wrap(cut)));
        assertTrue(e2.getMessage().contains("outside the file"), e2.getMessage());
    }
}

package dev.ktstr.kvm.initramfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuffixTest {

    @Test
    void isAPaddedArchiveWithParentsFirstCompressedAsOneLegacyStream() {
        Suffix s = Suffix.builder().file("/ktstr/args", "run --test x\n").file("/ktstr/sched_args", "-v\n").build();
        byte[] cpio = s.cpio();
        assertEquals(512, cpio.length);
        List<NewcReader.Member> m = NewcReader.parse(cpio);
        assertEquals(List.of("ktstr", "ktstr/args", "ktstr/sched_args", "TRAILER!!!"),
                m.stream().map(NewcReader.Member::name).toList());
        assertEquals(040755, m.get(0).mode());
        assertEquals("run --test x\n", new String(m.get(1).data(), StandardCharsets.UTF_8));
        assertEquals(Suffix.FIRST_INODE, m.get(0).ino());

        byte[] lz = new byte[s.compressed().remaining()];
        s.compressed().get(lz);
        assertArrayEquals(cpio, Lz4LegacyOutputStreamTest.decode(lz, new ArrayList<>()));
        assertEquals(lz.length, s.part().size());
    }

    @Test
    void largerSuffixesPadToTheNextMultipleOf512() {
        Suffix s = Suffix.builder().file("/ktstr/blob", new byte[1000]).build();
        assertEquals(0, s.cpioSize() % 512);
        assertEquals(1536, s.cpioSize());
    }

    @Test
    void aFileUnderAnotherFileIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> Suffix.builder().file("/a", "x").file("/a/b", "y").build());
    }
}

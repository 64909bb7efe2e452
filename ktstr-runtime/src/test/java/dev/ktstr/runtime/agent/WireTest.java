package dev.ktstr.runtime.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class WireTest {

    private static final Path HEADER = Path.of("../ktstr-agent/src/main/c/include/ktstr_wire.h");

    @Test
    void messageTypesMatchTheCHeader() throws Exception {
        String h = Files.readString(HEADER);
        Matcher m = Pattern.compile("KTSTR_MSG_([A-Z_0-9]+)\\s*=\\s*0x([0-9A-Fa-f]+)").matcher(h);
        Map<String, Integer> c = new HashMap<>();
        while (m.find()) {
            c.put(m.group(1), Integer.parseInt(m.group(2), 16));
        }
        assertTrue(c.size() >= 30, "parsed " + c.size() + " message types from " + HEADER);
        for (Map.Entry<String, Integer> e : c.entrySet()) {
            Field f = Wire.class.getField(e.getKey());
            assertEquals(e.getValue(), f.getInt(null), "KTSTR_MSG_" + e.getKey());
            assertEquals(e.getKey(), Wire.typeName(e.getValue()));
        }
        long javaTypes = Arrays.stream(Wire.class.getFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == int.class)
                .filter(f -> c.containsKey(f.getName())).count();
        assertEquals(c.size(), javaTypes, "every C message type has a Java constant");
    }

    @Test
    void framingConstantsMatchTheCHeader() throws Exception {
        String h = Files.readString(HEADER);
        assertTrue(h.contains("#define KTSTR_WIRE_MAGIC   0x" + Integer.toHexString(Wire.MAGIC).toUpperCase(Locale.ROOT)));
        assertTrue(h.contains("#define KTSTR_SHM_MAGIC   0x" + Integer.toHexString(Wire.SHM_MAGIC).toUpperCase(Locale.ROOT)));
        assertTrue(h.contains("#define KTSTR_WIRE_VERSION " + Wire.VERSION));
        assertTrue(h.contains("#define KTSTR_HDR_SIZE     " + Wire.HEADER_SIZE));
        assertTrue(h.contains("#define KTSTR_SHM_HDR     " + Wire.SHM_HEADER));
        assertTrue(h.contains("uint32_t writer_waiting; /* offset " + Wire.RING_OFF_WRITER_WAITING + " */"));
        assertTrue(h.contains("struct ktstr_shm_ring ring[2]; /* offset " + Wire.SHM_OFF_RING + " and "
                + (Wire.SHM_OFF_RING + Wire.SHM_RING_STRIDE) + " */"));
    }

    @Test
    void frameRoundTripsAndRejectsCorruption() {
        byte[] payload = new WireWriter().u32(7).str("hello").strs(List.of("a", "")).u64(-1).toByteArray();
        byte[] frame = Wire.encode(Wire.EXEC, 42, 0, payload);
        Wire.Header h = Wire.parseHeader(Arrays.copyOf(frame, Wire.HEADER_SIZE));
        assertEquals(Wire.EXEC, h.type());
        assertEquals(42, h.id());
        assertEquals(payload.length, h.length());
        assertEquals((int) Wire.crc32(payload), h.crc());
        WireReader r = new WireReader(Arrays.copyOfRange(frame, Wire.HEADER_SIZE, frame.length));
        assertEquals(7, r.u32());
        assertEquals("hello", r.str());
        assertEquals(List.of("a", ""), r.strs());
        assertEquals(-1, r.u64());
        r.expectEnd();

        byte[] bad = frame.clone();
        bad[0] ^= 1;
        assertThrows(WireFormatException.class, () -> Wire.parseHeader(Arrays.copyOf(bad, Wire.HEADER_SIZE)));
        byte[] ver = frame.clone();
        ver[4] = 9;
        WireFormatException e = assertThrows(WireFormatException.class,
                () -> Wire.parseHeader(Arrays.copyOf(ver, Wire.HEADER_SIZE)));
        assertTrue(e.getMessage().contains("version 9"), e.getMessage());
    }

    @Test
    void readerNamesWhereATruncatedPayloadEnds() {
        byte[] p = new WireWriter().u32(3).str("abcdef").toByteArray();
        WireReader r = new WireReader(Arrays.copyOf(p, p.length - 2));
        r.u32();
        WireFormatException e = assertThrows(WireFormatException.class, r::str);
        assertTrue(e.getMessage().contains("truncated bytes at offset 8"), e.getMessage());
        WireReader lying = new WireReader(new WireWriter().u32(1_000_000).toByteArray());
        assertThrows(WireFormatException.class, lying::strs);
        assertArrayEquals(new long[] {1, 2}, new WireReader(new WireWriter().u64s(new long[] {1, 2}).toByteArray()).u64s());
    }
}

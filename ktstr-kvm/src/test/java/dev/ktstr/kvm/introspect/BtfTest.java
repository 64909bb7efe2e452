package dev.ktstr.kvm.introspect;

import static dev.ktstr.kvm.introspect.BtfWriter.bf;
import static dev.ktstr.kvm.introspect.BtfWriter.m;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BtfTest {

    @Test
    void resolvesNestedPathsThroughAnonymousMembersAndModifierChains() throws Exception {
        BtfWriter w = new BtfWriter();
        int u32 = w.intType("unsigned int", 4, false);
        int u64raw = w.intType("long long unsigned int", 8, false);
        int u64 = w.typedef("u64", u64raw);
        int cvU64 = w.constOf(w.volatileOf(u64));
        int inner = w.struct("dsq", 16, false, m("lock", u32, 0), m("nr", u32, 32), m("seq", cvU64, 64));
        int anon = w.union("", 8, m("curr", w.ptr(inner), 0), m("donor", u64, 0));
        int arr = w.array(inner, u32, 4);
        w.struct("outer", 96, false, m("a", u32, 0), m("", anon, 64), m("local", inner, 128), m("many", arr, 256));
        Btf btf = w.parse();

        assertEquals(20, btf.field("outer", "local.nr").byteOffset());
        assertEquals(8, btf.field("outer", "curr").byteOffset(), "anonymous union members are direct members");
        assertEquals(8, btf.field("outer", "donor").byteOffset());
        FieldLocation seq = btf.field("outer", "local.seq");
        assertEquals(24, seq.byteOffset());
        assertEquals(8, seq.byteSize(), "size through const volatile typedef");
        assertEquals(u64raw, btf.resolve(seq.type()));
        assertEquals("const volatile u64", btf.describe(seq.type()));
        assertEquals(32 + 2 * 16 + 4, btf.field("outer", "many[2].nr").byteOffset());
        assertEquals(64, btf.sizeOf(arr));

        IntrospectException missing = assertThrows(IntrospectException.class, () -> btf.field("outer", "local.nope"));
        assertTrue(missing.getMessage().contains("struct dsq has no member 'nope'"), missing.getMessage());
        IntrospectException notStruct = assertThrows(IntrospectException.class, () -> btf.field("outer", "a.b"));
        assertTrue(notStruct.getMessage().contains("not a struct or union"), notStruct.getMessage());
        assertThrows(IntrospectException.class, () -> btf.field("outer", "many[4].nr"));
        assertFalse(btf.findField("nosuch", "x").isPresent());
    }

    @Test
    void decodesBitfieldsInBothEncodings() throws Exception {
        BtfWriter w = new BtfWriter();
        int boolT = w.intType("_Bool", 1, false);
        int u32 = w.intType("unsigned int", 4, false);
        w.struct("flags_kf", 8, true, m("word", u32, 0), bf("hi", boolT, 33, 1), bf("wide", u32, 36, 5));
        int old3 = w.intType("unsigned int", 4, false, 0, 3);
        w.struct("flags_old", 8, false, m("word", u32, 0), m("three", old3, 40));
        Btf btf = w.parse();

        FieldLocation hi = btf.field("flags_kf", "hi");
        assertTrue(hi.isBitfield());
        assertEquals(33, hi.bitOffset());
        assertEquals(1, hi.bitfieldSize());
        assertThrows(IllegalStateException.class, hi::byteOffset);
        FieldLocation wide = btf.field("flags_kf", "wide");
        // bits 36..40 of the 64-bit word hold 0b10110 = 22
        long word = 22L << 36 | 1L << 33 | 0xffffffffL;
        assertEquals(22, wide.extractBits(word, 0));
        assertEquals(1, hi.extractBits(word, 0));
        FieldLocation three = btf.field("flags_old", "three");
        assertEquals(3, three.bitfieldSize(), "pre-kind_flag bitfield from the INT encoding");
        assertEquals(40, three.bitOffset());
        assertThrows(IntrospectException.class, () -> ScalarField.resolve(btf, "flags_kf", "hi"));
    }

    @Test
    void enumsDatasecsAndTypesByName() throws Exception {
        BtfWriter w = new BtfWriter();
        int s32 = w.intType("int", 4, true);
        w.enumType("map_type", 4, false, "MT_ARRAY", 2, "MT_BIG", 0xfffffff0);
        w.enumType("", 4, true, "NEG", -5);
        w.enum64("wide", "HUGE", 0x1_0000_0002L);
        int v1 = w.var("stall", s32);
        int v2 = w.var("nr", w.intType("long long unsigned int", 8, false));
        w.datasec(".bss", 16, new int[] {v1, 0, 4}, new int[] {v2, 8, 8});
        Btf btf = w.parse();

        assertEquals(2L, btf.enumerator("MT_ARRAY"));
        assertEquals(0xfffffff0L, btf.enumerator("MT_BIG"), "unsigned enum values are zero-extended");
        assertEquals(-5L, btf.enumerator("NEG"), "signed enum values are sign-extended");
        assertEquals(0x1_0000_0002L, btf.enumerator("HUGE"));
        BtfType.Datasec bss = btf.findDatasec(".bss").orElseThrow();
        assertEquals(2, bss.vars().size());
        assertEquals("nr", btf.type(bss.vars().get(1).type()).name());
        assertEquals(8, bss.vars().get(1).offset());
        assertEquals(1, btf.byName("stall").size());
        assertEquals(16, btf.sizeOf(bss.id()));
        assertEquals(4, btf.sizeOf(v1), "a VAR has the size of its type");
    }

    @Test
    void refusesMalformedBlobsWithTheReason() throws Exception {
        BtfWriter w = new BtfWriter();
        w.intType("int", 4, true);
        byte[] good = w.bytes();

        byte[] badMagic = good.clone();
        badMagic[0] = 0x12;
        assertMessage("bad BTF magic", badMagic);
        assertMessage("too short", Arrays.copyOf(good, 10));
        assertMessage("exceeds", Arrays.copyOf(good, good.length - 3));
        byte[] v2 = good.clone();
        v2[2] = 2;
        assertMessage("version 2", v2);

        BtfWriter u = new BtfWriter();
        u.intType("int", 4, true);
        u.unknownKind(25, 2, 8);
        assertMessage("unknown kind 25", u.bytes());
    }

    @Test
    void stepsOverUnknownKindsWhenTheBlobDescribesTheirLayout() throws Exception {
        BtfWriter w = new BtfWriter();
        int s32 = w.intType("int", 4, true);
        int mystery = w.unknownKind(25, 2, 4 + 2 * 4);
        w.struct("after", 4, false, m("x", s32, 0));
        w.layout(25, new int[] {25, 4, 4});
        Btf btf = w.parse();
        assertInstanceOf(BtfType.Unknown.class, btf.type(mystery));
        assertEquals(0, btf.field("after", "x").byteOffset(), "types after the unknown kind still decode");
    }

    private static void assertMessage(String expected, byte[] blob) {
        IntrospectException e = assertThrows(IntrospectException.class, () -> Btf.parse("blob", ByteBuffer.wrap(blob)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith("blob"), "names the origin: " + e.getMessage());
    }
}

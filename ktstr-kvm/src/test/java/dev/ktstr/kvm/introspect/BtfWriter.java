package dev.ktstr.kvm.introspect;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Test helper: encodes BTF blobs type by type (Documentation/bpf/btf.rst section 2), ids from 1. */
final class BtfWriter {

    private final ByteArrayOutputStream types = new ByteArrayOutputStream();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final Map<String, Integer> stringOffsets = new HashMap<>();
    private int nextId = 1;
    private byte[] layout;

    BtfWriter() {
        strings.write(0);
        stringOffsets.put("", 0);
    }

    int str(String s) {
        return stringOffsets.computeIfAbsent(s, k -> {
            int off = strings.size();
            strings.writeBytes(k.getBytes(StandardCharsets.UTF_8));
            strings.write(0);
            return off;
        });
    }

    private void u32(int v) {
        types.write(v);
        types.write(v >>> 8);
        types.write(v >>> 16);
        types.write(v >>> 24);
    }

    private int header(String name, int kind, int vlen, boolean kindFlag, int sizeOrType) {
        u32(str(name));
        u32(vlen | kind << 24 | (kindFlag ? 1 << 31 : 0));
        u32(sizeOrType);
        return nextId++;
    }

    int intType(String name, int size, boolean signed) {
        return intType(name, size, signed, 0, size * 8);
    }

    int intType(String name, int size, boolean signed, int bitOffset, int bits) {
        int id = header(name, 1, 0, false, size);
        u32((signed ? 1 : 0) << 24 | bitOffset << 16 | bits);
        return id;
    }

    int ptr(int target) {
        return header("", 2, 0, false, target);
    }

    int array(int elem, int index, int n) {
        int id = header("", 3, 0, false, 0);
        u32(elem);
        u32(index);
        u32(n);
        return id;
    }

    /** members: {name, type, bitOffset, bitfieldSize} (bitfieldSize used only with kindFlag). */
    int struct(String name, int size, boolean kindFlag, Object[]... members) {
        return composite(4, name, size, kindFlag, members);
    }

    int union(String name, int size, Object[]... members) {
        return composite(5, name, size, false, members);
    }

    private int composite(int kind, String name, int size, boolean kindFlag, Object[]... members) {
        int id = header(name, kind, members.length, kindFlag, size);
        for (Object[] m : members) {
            u32(str((String) m[0]));
            u32((Integer) m[1]);
            int off = (Integer) m[2];
            int bf = m.length > 3 ? (Integer) m[3] : 0;
            u32(kindFlag ? bf << 24 | off : off);
        }
        return id;
    }

    static Object[] m(String name, int type, int bitOffset) {
        return new Object[] {name, type, bitOffset};
    }

    static Object[] bf(String name, int type, int bitOffset, int bits) {
        return new Object[] {name, type, bitOffset, bits};
    }

    int enumType(String name, int size, boolean signed, Object... nameValue) {
        int id = header(name, 6, nameValue.length / 2, signed, size);
        for (int i = 0; i < nameValue.length; i += 2) {
            u32(str((String) nameValue[i]));
            u32(((Number) nameValue[i + 1]).intValue());
        }
        return id;
    }

    int enum64(String name, Object... nameValue) {
        int id = header(name, 19, nameValue.length / 2, false, 8);
        for (int i = 0; i < nameValue.length; i += 2) {
            long v = ((Number) nameValue[i + 1]).longValue();
            u32(str((String) nameValue[i]));
            u32((int) v);
            u32((int) (v >>> 32));
        }
        return id;
    }

    int typedef(String name, int target) {
        return header(name, 8, 0, false, target);
    }

    int volatileOf(int target) {
        return header("", 9, 0, false, target);
    }

    int constOf(int target) {
        return header("", 10, 0, false, target);
    }

    int var(String name, int type) {
        int id = header(name, 14, 0, false, type);
        u32(1);
        return id;
    }

    /** vars: {varId, offset, size}. */
    int datasec(String name, int size, int[]... vars) {
        int id = header(name, 15, vars.length, false, size);
        for (int[] v : vars) {
            u32(v[0]);
            u32(v[1]);
            u32(v[2]);
        }
        return id;
    }

    /** A record of a kind unknown to the reader with {@code extra} trailing bytes. */
    int unknownKind(int kind, int vlen, int extra) {
        int id = header("mystery", kind, vlen, false, 0);
        for (int i = 0; i < extra; i += 4) {
            u32(0);
        }
        return id;
    }

    /** Adds a kind layout section: {kind, info_sz, elem_sz} per entry, covering kinds 0..maxKind. */
    BtfWriter layout(int maxKind, int[]... kinds) {
        layout = new byte[4 * (maxKind + 1)];
        for (int[] k : kinds) {
            layout[4 * k[0]] = (byte) k[1];
            layout[4 * k[0] + 1] = (byte) k[2];
        }
        return this;
    }

    byte[] bytes() {
        byte[] t = types.toByteArray();
        byte[] s = strings.toByteArray();
        int hdrLen = layout == null ? 24 : 32;
        int layoutLen = layout == null ? 0 : layout.length;
        ByteBuffer b = ByteBuffer.allocate(hdrLen + t.length + s.length + layoutLen).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0xeb9f).put((byte) 1).put((byte) 0).putInt(hdrLen);
        b.putInt(0).putInt(t.length).putInt(t.length).putInt(s.length);
        if (layout != null) {
            b.putInt(t.length + s.length).putInt(layoutLen);
        }
        b.put(t).put(s);
        if (layout != null) {
            b.put(layout);
        }
        return b.array();
    }

    Btf parse() throws IntrospectException {
        return Btf.parse("test", ByteBuffer.wrap(bytes()));
    }
}

package dev.ktstr.runtime.agent;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes the primitive field types of {@code ktstr_wire.h} (little-endian fixed-width integers,
 * length-prefixed strings and byte arrays, counted string lists) into a growable buffer.
 */
public final class WireWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    public WireWriter u8(int v) {
        out.write(v);
        return this;
    }

    public WireWriter u16(int v) {
        out.write(v);
        out.write(v >>> 8);
        return this;
    }

    public WireWriter u32(long v) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    public WireWriter i32(int v) {
        return u32(v);
    }

    public WireWriter u64(long v) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    public WireWriter i64(long v) {
        return u64(v);
    }

    public WireWriter bytes(byte[] b) {
        u32(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    public WireWriter str(String s) {
        return bytes((s == null ? "" : s).getBytes(StandardCharsets.UTF_8));
    }

    public WireWriter strs(List<String> v) {
        u32(v.size());
        for (String s : v) {
            str(s);
        }
        return this;
    }

    public WireWriter u64s(long[] v) {
        u32(v.length);
        for (long x : v) {
            u64(x);
        }
        return this;
    }

    public int size() {
        return out.size();
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}

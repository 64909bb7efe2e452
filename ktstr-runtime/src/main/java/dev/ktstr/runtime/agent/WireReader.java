package dev.ktstr.runtime.agent;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the primitive field types of {@code ktstr_wire.h}. Every read is bounds-checked; running
 * past the end throws {@link WireFormatException} naming the field offset.
 */
public final class WireReader {

    private final ByteBuffer buf;

    public WireReader(byte[] payload) {
        this(ByteBuffer.wrap(payload));
    }

    public WireReader(ByteBuffer payload) {
        this.buf = payload.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    private void need(int n, String what) {
        if (n < 0 || buf.remaining() < n) {
            throw new WireFormatException("truncated " + what + " at offset " + buf.position() + ": need " + n
                    + " bytes, " + buf.remaining() + " left");
        }
    }

    public int u8() {
        need(1, "u8");
        return buf.get() & 0xff;
    }

    public int u16() {
        need(2, "u16");
        return buf.getShort() & 0xffff;
    }

    /** An unsigned 32-bit value. */
    public long u32() {
        need(4, "u32");
        return buf.getInt() & 0xffffffffL;
    }

    /** A u32 that must fit an int (counts, lengths, ids). */
    public int u32AsInt() {
        long v = u32();
        if (v > Integer.MAX_VALUE) {
            throw new WireFormatException("value " + v + " too large at offset " + (buf.position() - 4));
        }
        return (int) v;
    }

    public int i32() {
        need(4, "i32");
        return buf.getInt();
    }

    public long u64() {
        need(8, "u64");
        return buf.getLong();
    }

    public long i64() {
        return u64();
    }

    public byte[] bytes() {
        int n = u32AsInt();
        need(n, "bytes");
        byte[] b = new byte[n];
        buf.get(b);
        return b;
    }

    public String str() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    public List<String> strs() {
        int n = u32AsInt();
        if ((long) n * 4 > buf.remaining()) {
            throw new WireFormatException("string list of " + n + " entries cannot fit in " + buf.remaining()
                    + " bytes at offset " + buf.position());
        }
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(str());
        }
        return out;
    }

    public long[] u64s() {
        int n = u32AsInt();
        if ((long) n * 8 > buf.remaining()) {
            throw new WireFormatException("u64 list of " + n + " entries cannot fit in " + buf.remaining()
                    + " bytes at offset " + buf.position());
        }
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = buf.getLong();
        }
        return v;
    }

    public int remaining() {
        return buf.remaining();
    }

    /** Fails unless every byte was consumed (a trailing byte means the two sides disagree). */
    public void expectEnd() {
        if (buf.hasRemaining()) {
            throw new WireFormatException(buf.remaining() + " unexpected trailing bytes at offset " + buf.position());
        }
    }
}

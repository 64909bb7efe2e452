package dev.ktstr.kvm.vmm.acpi;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Little-endian byte assembly for ACPI tables, with the common System Description Table header
 * (ACPI 6.5 5.2.6, Table 5.4: 36 bytes) and checksum (all bytes of the table sum to zero modulo 256).
 */
public final class TableWriter {

    public static final int HEADER_SIZE = 36;
    public static final String OEM_ID = "KTSTR ";
    public static final String OEM_TABLE_ID = "KTSTRVMM";
    public static final int OEM_REVISION = 1;
    public static final String CREATOR_ID = "KTSR";
    public static final int CREATOR_REVISION = 1;

    private byte[] buf = new byte[256];
    private int size;

    /** A writer positioned after a reserved 36-byte header. */
    public static TableWriter withHeader() {
        TableWriter w = new TableWriter();
        w.zeros(HEADER_SIZE);
        return w;
    }

    /** A writer with nothing reserved (RSDP, FACS). */
    public static TableWriter raw() {
        return new TableWriter();
    }

    public int size() {
        return size;
    }

    public TableWriter u8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
        return this;
    }

    public TableWriter u16(int v) {
        return u8(v).u8(v >>> 8);
    }

    public TableWriter u32(long v) {
        return u16((int) v).u16((int) (v >>> 16));
    }

    public TableWriter u64(long v) {
        return u32(v).u32(v >>> 32);
    }

    public TableWriter bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
        return this;
    }

    /** ASCII text padded with spaces (or cut) to exactly {@code len} bytes. */
    public TableWriter ascii(String s, int len) {
        byte[] b = Arrays.copyOf(s.getBytes(StandardCharsets.US_ASCII), len);
        for (int i = s.length(); i < len; i++) {
            b[i] = ' ';
        }
        return bytes(b);
    }

    public TableWriter zeros(int n) {
        ensure(n);
        size += n;
        return this;
    }

    /**
     * A Generic Address Structure (ACPI 6.5 5.2.3.2, 12 bytes) for a register in system I/O space.
     *
     * @param accessSize 0 undefined, 1 byte, 2 word, 3 dword, 4 qword
     */
    public TableWriter gasIo(int bitWidth, int accessSize, long port) {
        return u8(port == 0 ? 0 : 1).u8(port == 0 ? 0 : bitWidth).u8(0).u8(port == 0 ? 0 : accessSize).u64(port);
    }

    /** Patches a 32-bit value at {@code off}. */
    public void putU32(int off, long v) {
        for (int i = 0; i < 4; i++) {
            buf[off + i] = (byte) (v >>> (8 * i));
        }
    }

    /** Writes the standard header over the first 36 bytes, then the checksum; returns the table. */
    public byte[] finish(String signature, int revision) {
        byte[] sig = signature.getBytes(StandardCharsets.US_ASCII);
        if (sig.length != 4) {
            throw new IllegalArgumentException("ACPI signature must be 4 characters: " + signature);
        }
        System.arraycopy(sig, 0, buf, 0, 4);
        putU32(4, size);
        buf[8] = (byte) revision;
        buf[9] = 0;
        put(10, OEM_ID, 6);
        put(16, OEM_TABLE_ID, 8);
        putU32(24, OEM_REVISION);
        put(28, CREATOR_ID, 4);
        putU32(32, CREATOR_REVISION);
        byte[] out = toBytes();
        out[9] = checksum(out, 0, out.length);
        return out;
    }

    /** The bytes written so far. */
    public byte[] toBytes() {
        return Arrays.copyOf(buf, size);
    }

    /** The byte that makes {@code b[off, off+len)} sum to zero (with the checksum byte itself zero). */
    public static byte checksum(byte[] b, int off, int len) {
        int sum = 0;
        for (int i = off; i < off + len; i++) {
            sum += b[i];
        }
        return (byte) -sum;
    }

    /** Sum of the bytes modulo 256; 0 for a valid table. */
    public static int sum(byte[] b, int off, int len) {
        int sum = 0;
        for (int i = off; i < off + len; i++) {
            sum += b[i];
        }
        return sum & 0xFF;
    }

    private void put(int off, String s, int len) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < len; i++) {
            buf[off + i] = i < b.length ? b[i] : (byte) ' ';
        }
    }

    private void ensure(int n) {
        if (size + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }
    }
}

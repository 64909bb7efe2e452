package dev.ktstr.kvm.engine;

/**
 * Guest physical memory as the host sees it. Reads of addresses outside RAM (e.g. the MMIO hole)
 * throw {@link IndexOutOfBoundsException}. Implementations are safe for concurrent readers.
 */
public interface GuestMemory {

    /** Bytes of guest RAM (not counting holes). */
    long ramBytes();

    /** Whether {@code [gpa, gpa+len)} lies entirely in RAM. */
    boolean contains(long gpa, long len);

    void read(long gpa, byte[] dst, int off, int len);

    void write(long gpa, byte[] src, int off, int len);

    default byte readByte(long gpa) {
        byte[] b = new byte[1];
        read(gpa, b, 0, 1);
        return b[0];
    }

    default int readInt(long gpa) {
        byte[] b = new byte[4];
        read(gpa, b, 0, 4);
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }

    default long readLong(long gpa) {
        return (readInt(gpa) & 0xffffffffL) | ((long) readInt(gpa + 4)) << 32;
    }

    default void writeLong(long gpa, long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        write(gpa, b, 0, 8);
    }

    default void writeInt(long gpa, int v) {
        byte[] b = {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
        write(gpa, b, 0, 4);
    }
}

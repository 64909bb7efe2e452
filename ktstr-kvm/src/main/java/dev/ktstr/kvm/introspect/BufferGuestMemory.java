package dev.ktstr.kvm.introspect;

import dev.ktstr.kvm.engine.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@link GuestMemory} over one {@link ByteBuffer} whose index is the guest physical address: a
 * memory-backend file of a single-node guest smaller than the 3.5 GiB PCI hole (where guest physical
 * address = file offset), or a {@link SyntheticKernel} image. Aligned 4- and 8-byte accesses are
 * single loads and stores, so a value the guest stores atomically is never read torn.
 */
public final class BufferGuestMemory implements GuestMemory {

    private final ByteBuffer buf;

    public BufferGuestMemory(ByteBuffer buf) {
        this.buf = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public long ramBytes() {
        return buf.capacity();
    }

    @Override
    public boolean contains(long gpa, long len) {
        return gpa >= 0 && len >= 0 && gpa + len <= buf.capacity() && gpa + len >= gpa;
    }

    private int index(long gpa, long len) {
        if (!contains(gpa, len)) {
            throw new IndexOutOfBoundsException("guest physical [0x" + Long.toHexString(gpa) + ", +" + len
                    + ") outside the " + buf.capacity() + "-byte guest RAM");
        }
        return (int) gpa;
    }

    @Override
    public void read(long gpa, byte[] dst, int off, int len) {
        buf.get(index(gpa, len), dst, off, len);
    }

    @Override
    public void write(long gpa, byte[] src, int off, int len) {
        buf.put(index(gpa, len), src, off, len);
    }

    @Override
    public int readInt(long gpa) {
        return buf.getInt(index(gpa, 4));
    }

    @Override
    public long readLong(long gpa) {
        return buf.getLong(index(gpa, 8));
    }

    @Override
    public void writeLong(long gpa, long v) {
        buf.putLong(index(gpa, 8), v);
    }

    @Override
    public void writeInt(long gpa, int v) {
        buf.putInt(index(gpa, 4), v);
    }
}

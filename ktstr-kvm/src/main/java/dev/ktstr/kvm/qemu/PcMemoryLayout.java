package dev.ktstr.kvm.qemu;

import java.util.ArrayList;
import java.util.List;

/**
 * Where QEMU's {@code pc} machine puts guest RAM (hw/i386/pc_piix.c): the first {@code lowmem} bytes
 * at guest-physical 0, the rest from 4 GiB up. {@code lowmem} is all of RAM below 3.5 GiB, else 3 GiB
 * (gigabyte-aligned, the default of current machine types). NUMA backends are laid out one after
 * another in that RAM order.
 */
public final class PcMemoryLayout {

    static final long GIB = 1L << 30;
    static final long DEFAULT_MAX_BELOW_4G = 0xE0000000L;

    /**
     * A piece of one backend file at a guest-physical address.
     *
     * @param backend     index of the NUMA node backend
     * @param fileOffset  offset inside that backend's file
     * @param gpa         guest-physical address
     * @param length      bytes
     */
    public record Piece(int backend, long fileOffset, long gpa, long length) {}

    private final long lowmem;
    private final List<Piece> pieces;

    public PcMemoryLayout(long[] backendBytes) {
        long total = 0;
        for (long b : backendBytes) {
            total += b;
        }
        lowmem = total >= DEFAULT_MAX_BELOW_4G ? 3 * GIB : total;
        List<Piece> out = new ArrayList<>();
        long ramOffset = 0;
        for (int i = 0; i < backendBytes.length; i++) {
            long start = ramOffset;
            long end = ramOffset + backendBytes[i];
            if (start < lowmem) {
                long e = Math.min(end, lowmem);
                out.add(new Piece(i, 0, start, e - start));
            }
            if (end > lowmem) {
                long s = Math.max(start, lowmem);
                out.add(new Piece(i, s - start, 4 * GIB + (s - lowmem), end - s));
            }
            ramOffset = end;
        }
        pieces = List.copyOf(out);
    }

    public long lowmem() {
        return lowmem;
    }

    public List<Piece> pieces() {
        return pieces;
    }
}

package dev.ktstr.topology;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.stream.IntStream;

/**
 * An immutable set of CPU (or NUMA node) numbers, rendered the way cgroupfs and {@code taskset}
 * write them: {@code "0-3,5,8-9"}.
 */
public final class CpuSet implements Comparable<CpuSet> {

    private static final CpuSet EMPTY = new CpuSet(new BitSet());
    private final BitSet bits;

    private CpuSet(BitSet bits) {
        this.bits = bits;
    }

    public static CpuSet empty() {
        return EMPTY;
    }

    /** CPUs {@code from} (inclusive) to {@code to} (exclusive). */
    public static CpuSet range(int from, int to) {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("bad CPU range [" + from + ", " + to + ")");
        }
        BitSet b = new BitSet();
        b.set(from, to);
        return new CpuSet(b);
    }

    public static CpuSet of(int... cpus) {
        BitSet b = new BitSet();
        for (int c : cpus) {
            if (c < 0) {
                throw new IllegalArgumentException("negative CPU " + c);
            }
            b.set(c);
        }
        return new CpuSet(b);
    }

    public static CpuSet of(Collection<Integer> cpus) {
        return of(cpus.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Parses the cgroupfs list form {@code "0-3,5"}; blank means empty. */
    public static CpuSet parse(String list) {
        BitSet b = new BitSet();
        String s = list.trim();
        if (s.isEmpty()) {
            return EMPTY;
        }
        for (String part : s.split(",")) {
            String p = part.trim();
            try {
                int dash = p.indexOf('-');
                if (dash < 0) {
                    b.set(Integer.parseInt(p));
                } else {
                    int lo = Integer.parseInt(p.substring(0, dash).trim());
                    int hi = Integer.parseInt(p.substring(dash + 1).trim());
                    if (hi < lo) {
                        throw new IllegalArgumentException("bad CPU list '" + list + "': range " + p + " is reversed");
                    }
                    b.set(lo, hi + 1);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad CPU list '" + list + "'", e);
            }
        }
        return new CpuSet(b);
    }

    public boolean contains(int cpu) {
        return cpu >= 0 && bits.get(cpu);
    }

    public boolean containsAll(CpuSet other) {
        BitSet b = (BitSet) other.bits.clone();
        b.andNot(bits);
        return b.isEmpty();
    }

    public int size() {
        return bits.cardinality();
    }

    public boolean isEmpty() {
        return bits.isEmpty();
    }

    public int first() {
        int f = bits.nextSetBit(0);
        if (f < 0) {
            throw new IllegalStateException("empty CPU set has no first CPU");
        }
        return f;
    }

    /** The highest member plus one, or 0 when empty. */
    public int limit() {
        return bits.length();
    }

    public CpuSet union(CpuSet other) {
        BitSet b = (BitSet) bits.clone();
        b.or(other.bits);
        return new CpuSet(b);
    }

    public CpuSet intersect(CpuSet other) {
        BitSet b = (BitSet) bits.clone();
        b.and(other.bits);
        return new CpuSet(b);
    }

    public CpuSet minus(CpuSet other) {
        BitSet b = (BitSet) bits.clone();
        b.andNot(other.bits);
        return new CpuSet(b);
    }

    public IntStream stream() {
        return bits.stream();
    }

    public List<Integer> toList() {
        List<Integer> out = new ArrayList<>(size());
        bits.stream().forEach(out::add);
        return out;
    }

    public int[] toArray() {
        return bits.stream().toArray();
    }

    /** The sub-list {@code [from, to)} of members in ascending order. */
    public CpuSet slice(int from, int to) {
        int[] all = toArray();
        if (from < 0 || to > all.length || from > to) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of " + all.length + " CPUs");
        }
        BitSet b = new BitSet();
        for (int i = from; i < to; i++) {
            b.set(all[i]);
        }
        return new CpuSet(b);
    }

    /** The cgroupfs list form, e.g. {@code 0-3,5}; empty string when empty. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        int i = bits.nextSetBit(0);
        while (i >= 0) {
            int j = bits.nextClearBit(i) - 1;
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(i);
            if (j > i) {
                sb.append('-').append(j);
            }
            i = bits.nextSetBit(j + 1);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return render();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CpuSet c && c.bits.equals(bits);
    }

    @Override
    public int hashCode() {
        return bits.hashCode();
    }

    @Override
    public int compareTo(CpuSet o) {
        return render().compareTo(o.render());
    }
}

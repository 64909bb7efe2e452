package dev.ktstr.kvm.introspect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Addresses of a guest kernel's symbols by name, from the vmlinux symbol table or the guest's
 * {@code /proc/kallsyms}. A name defined more than once (two file-static variables with the same
 * name) is kept with all its addresses and is refused by {@link #require} as ambiguous, so a lookup
 * never silently picks the wrong one.
 */
public final class KernelSymbols {

    /**
     * The symbols the monitor, the watchdog override and BPF map access look up. The guest agent may
     * send just these lines of {@code /proc/kallsyms} instead of the whole file.
     */
    public static final List<String> INTROSPECTION_SYMBOLS = List.of(
            "_text", "linux_banner", "page_offset_base", "pgdir_shift", "init_top_pgt",
            "swapper_pg_dir", "runqueues", "__per_cpu_offset", "nr_cpu_ids", "scx_root", "scx_watchdog_timeout",
            "scx_watchdog_interval", "scx_watchdog_work", "scx_watchdog_timestamp", "jiffies_64", "jiffies",
            "prog_idr", "map_idr");

    private final String source;
    private final Map<String, long[]> addresses;

    private KernelSymbols(String source, Map<String, long[]> addresses) {
        this.source = source;
        this.addresses = addresses;
    }

    /** Symbols from (name, address) pairs in any order; repeated names are kept as ambiguous. */
    public static KernelSymbols of(String source, List<Map.Entry<String, Long>> entries) {
        Map<String, long[]> m = new TreeMap<>();
        for (Map.Entry<String, Long> e : entries) {
            long[] prev = m.get(e.getKey());
            if (prev == null) {
                m.put(e.getKey(), new long[] {e.getValue()});
            } else if (!contains(prev, e.getValue())) {
                long[] next = java.util.Arrays.copyOf(prev, prev.length + 1);
                next[prev.length] = e.getValue();
                m.put(e.getKey(), next);
            }
        }
        return new KernelSymbols(source, Collections.unmodifiableMap(m));
    }

    private static boolean contains(long[] a, long v) {
        for (long x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    /** Where the symbols came from, e.g. {@code guest /proc/kallsyms} or a vmlinux path. */
    public String source() {
        return source;
    }

    /** Number of distinct names. */
    public int size() {
        return addresses.size();
    }

    /** The address of {@code name} if it is defined exactly once. */
    public Optional<Long> find(String name) {
        long[] a = addresses.get(name);
        return a == null || a.length != 1 ? Optional.empty() : Optional.of(a[0]);
    }

    /** Every address {@code name} is defined at (empty when undefined). */
    public List<Long> all(String name) {
        long[] a = addresses.get(name);
        List<Long> out = new ArrayList<>();
        if (a != null) {
            for (long v : a) {
                out.add(v);
            }
        }
        return out;
    }

    /** The address of {@code name}, or an exception saying it is missing or ambiguous. */
    public long require(String name) throws IntrospectException {
        long[] a = addresses.get(name);
        if (a == null) {
            throw new IntrospectException("symbol " + name + " not found in " + source);
        }
        if (a.length != 1) {
            StringBuilder sb = new StringBuilder();
            for (long v : a) {
                sb.append(sb.length() == 0 ? "" : ", ").append("0x").append(Long.toHexString(v));
            }
            throw new IntrospectException("symbol " + name + " is ambiguous in " + source + ": defined at " + sb);
        }
        return a[0];
    }

    /** All (name, address) pairs, sorted by name then address. */
    public List<Map.Entry<String, Long>> entries() {
        List<Map.Entry<String, Long>> out = new ArrayList<>();
        addresses.forEach((n, as) -> {
            for (long v : as) {
                out.add(Map.entry(n, v));
            }
        });
        return out;
    }

    @Override
    public String toString() {
        return "KernelSymbols[" + source + ", " + addresses.size() + " names]";
    }
}

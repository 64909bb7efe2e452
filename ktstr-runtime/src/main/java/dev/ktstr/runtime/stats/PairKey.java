package dev.ktstr.runtime.stats;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.ktstr.runtime.result.RunResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of the pairing dimensions for one group of runs: runs with equal keys are samples of the
 * same experiment, and a baseline group is compared with the candidate group of the same key.
 *
 * @param dims    the pairing dimensions, in order
 * @param values  one value per dimension
 */
public record PairKey(List<Dimension> dims, List<String> values) implements Comparable<PairKey> {

    public PairKey {
        dims = List.copyOf(dims);
        values = List.copyOf(values);
        if (dims.size() != values.size()) {
            throw new IllegalArgumentException("dims " + dims + " vs values " + values);
        }
    }

    /** The key of {@code r} over {@code dims}. */
    public static PairKey of(RunResult r, List<Dimension> dims) {
        List<String> v = new ArrayList<>(dims.size());
        for (Dimension d : dims) {
            v.add(d.valueOf(r));
        }
        return new PairKey(dims, v);
    }

    /** The value of {@code d}, or {@code null} when the key does not include it. */
    public String get(Dimension d) {
        int i = dims.indexOf(d);
        return i < 0 ? null : values.get(i);
    }

    /** Dimension label → value, in order (the JSON form). */
    @JsonValue
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < dims.size(); i++) {
            m.put(dims.get(i).label(), values.get(i));
        }
        return m;
    }

    /** Values joined by a space, e.g. {@code QmapTest#fair 1n2l2c1t scx_qmap default - 7.3.4 qemu-tcg}. */
    public String display() {
        return values.isEmpty() ? "(all)" : String.join(" ", values);
    }

    @Override
    public int compareTo(PairKey o) {
        for (int i = 0; i < Math.min(values.size(), o.values.size()); i++) {
            int c = values.get(i).compareTo(o.values.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(values.size(), o.values.size());
    }

    @Override
    public String toString() {
        return display();
    }
}

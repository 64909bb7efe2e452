package dev.ktstr.runtime.stats;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Short labels for a set of keys: dimensions whose value is the same in every key are said once
 * ({@link #common()}) and left out of each key's label, and test names lose their package.
 */
public final class KeyLabels {

    private final List<Dimension> varying;
    private final Map<Dimension, String> common;

    private KeyLabels(List<Dimension> varying, Map<Dimension, String> common) {
        this.varying = varying;
        this.common = common;
    }

    /** Labels for {@code keys} (all over the same dimensions). */
    public static KeyLabels of(Collection<PairKey> keys) {
        List<Dimension> dims = keys.isEmpty() ? List.of() : keys.iterator().next().dims();
        List<Dimension> varying = new ArrayList<>();
        Map<Dimension, String> common = new LinkedHashMap<>();
        for (Dimension d : dims) {
            Set<String> values = new HashSet<>();
            for (PairKey k : keys) {
                values.add(k.get(d));
            }
            if (values.size() == 1 && d != Dimension.TEST) {
                common.put(d, values.iterator().next());
            } else {
                varying.add(d);
            }
        }
        return new KeyLabels(varying, common);
    }

    /** Dimensions with one value across all keys, and that value. */
    public Map<Dimension, String> common() {
        return common;
    }

    /** {@code scheduler=scx_simple flags=default ...}, or empty. */
    public String commonText() {
        StringBuilder sb = new StringBuilder();
        common.forEach((d, v) -> sb.append(sb.length() == 0 ? "" : "  ").append(d.label()).append('=').append(v));
        return sb.toString();
    }

    /** The label of {@code k}: its varying dimensions' values, the test without its package. */
    public String label(PairKey k) {
        List<String> parts = new ArrayList<>();
        for (Dimension d : varying) {
            String v = k.get(d);
            if (v == null) {
                continue;
            }
            parts.add(d == Dimension.TEST ? shortTest(v) : v);
        }
        return parts.isEmpty() ? "(all)" : String.join(" ", parts);
    }

    /** {@code dev.x.FooTest#bar} → {@code FooTest#bar}. */
    public static String shortTest(String v) {
        int hash = v.indexOf('#');
        int dot = hash < 0 ? -1 : v.lastIndexOf('.', hash);
        return dot < 0 ? v : v.substring(dot + 1);
    }
}

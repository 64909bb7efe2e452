package dev.ktstr.runtime.kernel.debian;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ABI version in Debian kernel package names, e.g. {@code 7.3.4+deb13} in
 * {@code linux-binary-unsigned-7.3.4+deb13-cloud-amd64}: a dotted upstream version and a Debian
 * suffix. Ordered by the upstream numbers, then the suffix.
 *
 * @param text     the whole version as it appears in the package name
 * @param numbers  the dotted upstream numbers ({@code [7, 3, 4]})
 * @param suffix   what follows them ({@code +deb13})
 */
public record DebianKernelVersion(String text, List<Integer> numbers, String suffix)
        implements Comparable<DebianKernelVersion> {

    private static final Pattern FORM = Pattern.compile("([0-9]+(?:\\.[0-9]+)*)([A-Za-z0-9.+~]*)");
    private static final Comparator<DebianKernelVersion> ORDER = Comparator
            .comparing(DebianKernelVersion::numbers, DebianKernelVersion::compareNumbers)
            .thenComparing(DebianKernelVersion::suffix);

    public DebianKernelVersion {
        numbers = List.copyOf(numbers);
    }

    /** Parses {@code 7.3.4+deb13}; empty when it does not look like a kernel version. */
    public static Optional<DebianKernelVersion> parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        List<Integer> nums = new ArrayList<>();
        for (String part : m.group(1).split("\\.")) {
            try {
                nums.add(Integer.parseInt(part));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.of(new DebianKernelVersion(text, nums, m.group(2)));
    }

    /** The upstream version, {@code 7.3.4}. */
    public String upstream() {
        return String.join(".", numbers.stream().map(String::valueOf).toList());
    }

    /**
     * Whether this version is what {@code spec} asks for: a spec with a suffix ({@code 7.3.4+deb13})
     * must match exactly; a purely numeric spec ({@code 7}, {@code 7.2}, {@code 7.3.4}) matches every
     * version whose numbers start with it ({@code 7.2} matches 7.2.12, not 7.20.1).
     */
    public boolean matches(String spec) {
        Optional<DebianKernelVersion> s = parse(spec.strip());
        if (s.isEmpty()) {
            return false;
        }
        if (!s.get().suffix().isEmpty()) {
            return text.equals(s.get().text());
        }
        List<Integer> want = s.get().numbers();
        return want.size() <= numbers.size() && numbers.subList(0, want.size()).equals(want);
    }

    @Override
    public int compareTo(DebianKernelVersion o) {
        return ORDER.compare(this, o);
    }

    private static int compareNumbers(List<Integer> a, List<Integer> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Integer.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    @Override
    public String toString() {
        return text;
    }
}

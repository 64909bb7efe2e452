package dev.ktstr.runtime.kernel.debian;

import java.util.List;
import java.util.Map;

/**
 * One apt source, from either format of {@code sources.list(5)}: a deb822 stanza of a
 * {@code *.sources} file or a one-line {@code deb} entry.
 *
 * @param types      {@code deb} and/or {@code deb-src}
 * @param uris       the archive roots
 * @param suites     suite or codename names ({@code bookworm}, {@code bookworm-updates})
 * @param components {@code main}, …
 * @param options    other fields (deb822) or bracket options (one-line), names in lower case
 * @param origin     {@code file:line} of the entry, for messages
 */
public record AptSourceEntry(List<String> types, List<String> uris, List<String> suites, List<String> components,
        Map<String, String> options, String origin) {

    public AptSourceEntry {
        types = List.copyOf(types);
        uris = List.copyOf(uris);
        suites = List.copyOf(suites);
        components = List.copyOf(components);
        options = Map.copyOf(options);
    }

    /** Whether the entry serves binary packages of {@code suite}. */
    public boolean servesBinary(String suite) {
        return types.contains("deb") && suites.contains(suite);
    }
}

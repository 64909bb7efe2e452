package dev.ktstr.kvm.introspect;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Finds a kernel build's symbol addresses the cheapest way that is still correct: the vmlinux symbol
 * table when it has one; else the {@link KallsymsCache} entry of its build id; else the guest's
 * {@code /proc/kallsyms} text (read by the guest agent at boot), which is checked against the vmlinux
 * for KASLR and then cached for the next boot of the same build.
 */
public final class SymbolResolver {

    private SymbolResolver() {}

    /**
     * @param cache    where per-build symbol tables live (may be {@code null}: no caching)
     * @param kallsyms supplies the guest's kallsyms text, or {@code null} when the guest did not send it;
     *                 only called when neither the symtab nor the cache has the symbols
     */
    public static KernelSymbols resolve(Vmlinux vmlinux, KallsymsCache cache, Supplier<String> kallsyms)
            throws IntrospectException, IOException {
        Optional<KernelSymbols> own = vmlinux.symbols();
        if (own.isPresent()) {
            return own.get();
        }
        Optional<String> buildId = vmlinux.buildId();
        if (cache != null && buildId.isPresent()) {
            Optional<KernelSymbols> cached = cache.load(buildId.get());
            if (cached.isPresent()) {
                return cached.get();
            }
        }
        String text = kallsyms == null ? null : kallsyms.get();
        if (text == null) {
            throw new IntrospectException(vmlinux.path() + " has no symbol table, no cached kallsyms for build "
                    + buildId.orElse("(no build id)") + ", and the guest sent no /proc/kallsyms");
        }
        KernelSymbols parsed = KallsymsParser.parse("guest /proc/kallsyms", text);
        KernelView.checkNotRandomized(vmlinux, parsed);
        if (cache != null && buildId.isPresent()) {
            cache.store(buildId.get(), parsed);
        }
        return parsed;
    }
}

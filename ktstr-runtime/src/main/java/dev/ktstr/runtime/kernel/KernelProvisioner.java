package dev.ktstr.runtime.kernel;

import dev.ktstr.runtime.kernel.KernelException.Kind;
import dev.ktstr.runtime.kernel.cache.CacheEntry;
import dev.ktstr.runtime.kernel.cache.KernelCache;
import dev.ktstr.runtime.kernel.debian.DebianKernelFetcher;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Makes sure a test run has a kernel: what {@link KernelResolver} finds in {@code KTSTR_KERNEL} or the
 * cache, else the default Debian kernel fetched into the cache now (a fresh machine's first run),
 * else, if the fetch fails, the host's {@code /boot} kernel with a warning. The test set-up calls
 * {@link #ensureDefault(ProgressSink)} once per JVM; concurrent JVMs share one download through the
 * cache's locks.
 */
public final class KernelProvisioner {

    /** Fetches a kernel into the cache; {@link DebianKernelFetcher#fetch} in production. */
    @FunctionalInterface
    public interface Fetcher {
        CacheEntry fetch(DebianKernelFetcher.Request request) throws KernelException;
    }

    private final KernelResolver resolver;
    private final Fetcher fetcher;
    private final ProgressSink progress;

    public KernelProvisioner(KernelResolver resolver, Fetcher fetcher, ProgressSink progress) {
        this.resolver = resolver;
        this.fetcher = fetcher;
        this.progress = progress;
    }

    /** A provisioner over this machine: its environment, its cache root, Debian's archive. */
    public static KernelProvisioner forSystem(ProgressSink progress) {
        KernelEnvironment env = KernelEnvironment.system();
        KernelCache cache = new KernelCache(env.kernelCacheRoot());
        Clock clock = Clock.systemUTC();
        DebianKernelFetcher debian = new DebianKernelFetcher(env, cache, progress, clock);
        return new KernelProvisioner(new KernelResolver(env, cache, progress, clock), debian::fetch, progress);
    }

    /** {@link #ensure()} on this machine. */
    public static ResolvedKernel ensureDefault(ProgressSink progress) throws KernelException {
        return forSystem(progress).ensure();
    }

    /**
     * The kernel to test with, fetching the default one when neither {@code KTSTR_KERNEL} nor the cache
     * provides one.
     *
     * @throws KernelException the {@code KTSTR_KERNEL} error, or {@link Kind#NOT_FOUND} with the fetch
     *     failure and the reason the host kernel is unusable
     */
    public ResolvedKernel ensure() throws KernelException {
        Optional<ResolvedKernel> k = resolver.fromEnvironment();
        if (k.isPresent()) {
            return k.get();
        }
        k = resolver.fromCache();
        if (k.isPresent()) {
            return k.get();
        }
        progress.stage("no kernel in " + resolver.cache().root() + ": fetching the default kernel");
        KernelException fetchFailure;
        try {
            CacheEntry e = fetcher.fetch(DebianKernelFetcher.Request.defaults());
            return KernelResolver.fromEntry(e, ResolvedKernel.Origin.FETCHED);
        } catch (KernelException e) {
            fetchFailure = e;
            progress.warning("fetching the default kernel failed: " + e.getMessage());
        }
        List<String> why = new ArrayList<>();
        k = resolver.fromHostBoot(why);
        if (k.isPresent()) {
            return k.get();
        }
        KernelException nf = new KernelException(Kind.NOT_FOUND, "no kernel: the cache " + resolver.cache().root()
                + " is empty, fetching the default kernel failed (" + fetchFailure.getMessage() + "), and "
                + String.join("; ", why) + ". Retry '" + KernelResolver.FETCH_HINT + "' or set "
                + KernelEnvironment.KTSTR_KERNEL + " to a bzImage", fetchFailure);
        throw nf;
    }

    /** The resolver this provisioner consults. */
    public KernelResolver resolver() {
        return resolver;
    }
}

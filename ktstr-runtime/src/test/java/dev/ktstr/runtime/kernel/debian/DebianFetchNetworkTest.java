package dev.ktstr.runtime.kernel.debian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ktstr.runtime.kernel.FeatureState;
import dev.ktstr.runtime.kernel.KernelEnvironment;
import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.KernelMetadata;
import dev.ktstr.runtime.kernel.ProgressSink;
import dev.ktstr.runtime.kernel.cache.CacheEntry;
import dev.ktstr.runtime.kernel.cache.KernelCache;
import dev.ktstr.runtime.kernel.process.ProcessRunner;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Really fetches the default kernel from the Debian archive named by this machine's apt sources into
 * a temporary cache, twice at once, and checks that it was downloaded once and extracted to a vmlinux
 * with BTF, a PVH entry and sched_ext. Skipped, with the reason, where the archive cannot be reached.
 */
@Tag("network")
class DebianFetchNetworkTest {

    @TempDir
    Path tmp;

    @Test
    void fetchesTheDefaultKernelOnceForTwoConcurrentRequests() throws Exception {
        assumeTrue(ProcessRunner.onPath("apt-get") && ProcessRunner.onPath("dpkg-deb"), "no apt-get/dpkg-deb here");
        assumeTrue(Files.isReadable(AptSession.DEBIAN_KEYRING), "no Debian archive keyring");
        KernelEnvironment env = KernelEnvironment.system().with(KernelEnvironment.KTSTR_CACHE_DIR, tmp.toString());
        DebianMirror mirror;
        try {
            mirror = DebianMirror.fromMachine(env);
        } catch (KernelException e) {
            assumeTrue(false, "no Debian mirror on this machine: " + e.getMessage());
            return;
        }
        assumeTrue(reachable(mirror.uri()), "the Debian archive at " + mirror.uri() + " is unreachable");

        KernelCache cache = new KernelCache(env.kernelCacheRoot());
        AtomicInteger transfers = new AtomicInteger();
        ProgressSink counting = new ProgressSink() {
            @Override
            public void stage(String message) {}

            @Override
            public void warning(String message) {}

            @Override
            public Transfer transfer(String label, long totalBytes) {
                transfers.incrementAndGet();
                return ProgressSink.SILENT.transfer(label, totalBytes);
            }
        };
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<CacheEntry> results = new ArrayList<>();
        try {
            Callable<CacheEntry> fetch = () -> new DebianKernelFetcher(env, cache, counting, Clock.systemUTC())
                    .fetch(DebianKernelFetcher.Request.defaults());
            List<Future<CacheEntry>> fs = List.of(pool.submit(fetch), pool.submit(fetch));
            for (Future<CacheEntry> f : fs) {
                results.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        long t1 = System.nanoTime();
        System.out.printf(Locale.ROOT, "[kernel fetch] two concurrent default fetches (one download + extract): "
                + "%.2f s wall%n", (t1 - t0) / 1e9);

        assertEquals(results.get(0).key(), results.get(1).key());
        assertEquals(2, transfers.get(), "image and config downloaded once, not once per request");
        CacheEntry e = assertInstanceOf(CacheEntry.class, cache.lookup(results.get(0).key(), true).orElseThrow());
        KernelMetadata m = e.metadata();
        assertTrue(m.release().startsWith("7.") && m.release().endsWith("-cloud-amd64"), m.release());
        assertEquals(FeatureState.YES, m.btf());
        assertEquals(FeatureState.YES, m.pvhEntry());
        assertEquals(FeatureState.YES, m.schedExt());
        assertTrue(m.hz().isPresent());
        assertTrue(Files.size(e.vmlinux().orElseThrow()) > 20_000_000L);
    }

    private static boolean reachable(URI uri) {
        String host = uri.getHost();
        if (host == null) {
            return false;
        }
        int port = uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 5000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

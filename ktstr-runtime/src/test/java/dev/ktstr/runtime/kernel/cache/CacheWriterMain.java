package dev.ktstr.runtime.kernel.cache;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

/**
 * A second JVM for the locking tests. {@code hold ROOT KEY}: takes the key's lock, prints
 * {@code LOCKED} and sleeps until killed. {@code provision ROOT KEY COUNTER_FILE}: does what a fetch does
 * (lock, look up, "download" unless present, install) and appends a line to COUNTER_FILE for every
 * download, so the parent can count them.
 */
public final class CacheWriterMain {

    private CacheWriterMain() {}

    @SuppressWarnings("try")
    public static void main(String[] args) throws Exception {
        KernelCache cache = new KernelCache(Path.of(args[1]));
        String key = args[2];
        if (args[0].equals("hold")) {
            try (KeyLock l = cache.lock(key)) {
                System.out.println("LOCKED");
                System.out.flush();
                Thread.sleep(600_000);
            }
            return;
        }
        try (KeyLock l = cache.lock(key)) {
            Optional<EntryStatus> s = cache.lookup(key, false);
            if (s.isEmpty() || !(s.get() instanceof CacheEntry)) {
                Files.writeString(Path.of(args[3]), "download by " + ProcessHandle.current().pid() + "\n",
                        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                Thread.sleep(300); // a download takes time: the other JVM must be waiting on the lock now
                cache.install(key, CacheTestSupport.stager(key, Instant.now()));
            }
        }
        System.out.println("ENTRY " + key);
    }
}

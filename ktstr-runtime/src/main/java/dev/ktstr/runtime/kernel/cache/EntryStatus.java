package dev.ktstr.runtime.kernel.cache;

/**
 * The state of one cache directory after validation: a bootable {@link CacheEntry} or a
 * {@link CorruptEntry} with the reason it must not be booted.
 */
public sealed interface EntryStatus permits CacheEntry, CorruptEntry {

    /** The cache key (directory name). */
    String key();

    /** The entry directory. */
    java.nio.file.Path dir();
}

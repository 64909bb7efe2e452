package dev.ktstr.runtime.kernel.cache;

import java.nio.file.Path;

/**
 * A cache directory that failed validation; it is reported and skipped or replaced, never booted.
 *
 * @param key    the directory name
 * @param dir    the directory
 * @param reason what is wrong, with the evidence ("vmlinux is 4096 bytes, metadata says 62096432")
 */
public record CorruptEntry(String key, Path dir, String reason) implements EntryStatus {}

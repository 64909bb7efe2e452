package dev.ktstr.runtime.kernel;

/**
 * Size and SHA-256 of one file of a cache entry, recorded when the entry was written so that a
 * truncated or altered file is detected before it is booted.
 *
 * @param size   bytes
 * @param sha256 lower-case hex digest
 */
public record FileFacts(long size, String sha256) {}

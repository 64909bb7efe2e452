/**
 * Debian kernels through apt: deriving the mirror from the machine's own apt sources (both formats),
 * a private apt session that never touches the system's apt state, kernel package names and
 * versions, verified downloads with a progress bar, and the fetcher that puts it all into the cache.
 * No mirror host is ever named in this code.
 */
package dev.ktstr.runtime.kernel.debian;

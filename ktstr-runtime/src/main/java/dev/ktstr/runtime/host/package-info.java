/**
 * Bare-metal mode: the same guest agent as a child process of the JVM, over pipes, with its cgroups
 * under {@code /sys/fs/cgroup/ktstr-<pid>}; it runs under whatever scheduler the host has.
 */
package dev.ktstr.runtime.host;

/**
 * Running host tools (apt-get, apt-cache, dpkg-deb, make, git) for kernel provisioning with deadlines,
 * drained output and whole-tree kills. No knowledge of what the tools do lives here.
 */
package dev.ktstr.runtime.kernel.process;

package dev.ktstr.runtime.result;

/**
 * The host a run happened on, so results from different machines are not compared blindly.
 *
 * @param hostname     host name
 * @param cpuModel     first "model name" of /proc/cpuinfo
 * @param cpus         online CPUs
 * @param memoryMb     total memory
 * @param uname        host kernel release
 * @param virtualization  what /dev/kvm is: {@code kvm_intel}, {@code kvm_amd}, {@code kvm_pvm} or {@code none}
 * @param javaVersion  the JVM running the harness
 */
public record HostContext(String hostname, String cpuModel, int cpus, long memoryMb, String uname,
        String virtualization, String javaVersion) {}

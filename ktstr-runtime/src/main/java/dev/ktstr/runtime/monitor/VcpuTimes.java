package dev.ktstr.runtime.monitor;

/**
 * Host CPU time consumed by each vCPU thread so far, in nanoseconds: {@code RunningVm::vcpuCpuTimeNs}.
 * One entry per vCPU when each vCPU has its own thread; a single entry when one emulation thread runs
 * them all (QEMU TCG with {@code thread=single}); empty when unknown.
 */
@FunctionalInterface
public interface VcpuTimes {

    long[] vcpuCpuTimeNs();

    /** For hosts that cannot tell: stall detection is then disabled, with a note. */
    VcpuTimes UNKNOWN = () -> new long[0];
}

/**
 * The QEMU engine: {@code qemu-system-x86_64} on the {@code pc} machine with the exact topology
 * ({@code -smp} sockets = LLCs, cores, threads; {@code -numa} nodes, CPU placement and distances), with
 * KVM acceleration where the host has hardware virtualisation and single-threaded TCG otherwise.
 * Guest RAM lives in {@code /dev/shm} backend files the host maps (then unlinks, so nothing outlives
 * the VM); COM1 is the console on QEMU's stdio, COM2 the agent's doorbell line on a UNIX socket, and
 * QMP on another socket tells how the guest ended. The vCPU threads' host CPU time (for the
 * monitor's stall exemption) comes from {@code /proc} by the thread names {@code -name
 * …,debug-threads=on} gives them.
 */
package dev.ktstr.kvm.qemu;

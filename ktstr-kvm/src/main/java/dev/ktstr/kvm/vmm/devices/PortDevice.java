package dev.ktstr.kvm.vmm.devices;

/**
 * A device on the x86 I/O port bus. {@code offset} is relative to the device's base port; {@code size}
 * is 1, 2 or 4 bytes; values are little-endian in the low bits. Called from vCPU threads, possibly
 * several at once, so implementations synchronise their own state.
 */
public interface PortDevice {

    int read(int offset, int size);

    void write(int offset, int size, int value);
}

package dev.ktstr.kvm.vmm.devices;

/**
 * A stand-in for the MC146818 CMOS RTC at ports 0x70/0x71 (index, data). The FADT says the RTC is
 * absent and the guest reads wall time from kvm-clock; this only keeps stray reads harmless: every
 * CMOS register reads 0, so the update-in-progress bit is never stuck at 1 (an absent port would read
 * 0xFF, and code waiting for UIP to clear would spin).
 */
public final class CmosRtc implements PortDevice {

    private int index;

    @Override
    public synchronized int read(int offset, int size) {
        return offset == 0 ? index : 0;
    }

    @Override
    public synchronized void write(int offset, int size, int value) {
        if (offset == 0) {
            index = value & 0x7F;
        }
    }
}

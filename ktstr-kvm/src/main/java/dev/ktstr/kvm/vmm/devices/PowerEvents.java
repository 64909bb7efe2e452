package dev.ktstr.kvm.vmm.devices;

/** What devices report when the guest asks to end: power off or reset, with how it asked. */
public interface PowerEvents {

    void powerOff(String how);

    void reset(String how);
}

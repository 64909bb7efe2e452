package dev.ktstr.kvm.vmm.kvm;

/** {@code struct kvm_msr_entry} (16 bytes): a model-specific register index and its 64-bit value. */
public record MsrEntry(int index, long data) {

    public static final int SIZE = 16;

    @Override
    public String toString() {
        return String.format("MSR 0x%x = 0x%x", index, data);
    }
}

package dev.ktstr.kvm.vmm.memory;

/**
 * Bytes the VMM places in guest RAM before boot, with what they are for messages and firmware dumps.
 *
 * @param what  a short name, e.g. "zero page" or "ACPI SRAT"
 * @param gpa   guest-physical address of the first byte
 * @param bytes the contents (not copied; treat as immutable)
 */
public record GuestBlob(String what, long gpa, byte[] bytes) {

    public long end() {
        return gpa + bytes.length;
    }
}

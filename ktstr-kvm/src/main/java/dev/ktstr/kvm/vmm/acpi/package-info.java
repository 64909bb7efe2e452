/**
 * ACPI tables, hand-built byte for byte after the ACPI 6.5 specification: RSDP, XSDT/RSDT, FADT,
 * FACS, DSDT (minimal AML), MADT, SRAT, SLIT and HMAT, assembled with addresses by
 * {@link dev.ktstr.kvm.vmm.acpi.AcpiTables}. {@link dev.ktstr.kvm.vmm.acpi.AcpiHardware} names the
 * fixed hardware (PM1 ports, SCI, reset register) the tables promise; the devices that keep that
 * promise live in {@code dev.ktstr.kvm.vmm.devices}.
 */
package dev.ktstr.kvm.vmm.acpi;

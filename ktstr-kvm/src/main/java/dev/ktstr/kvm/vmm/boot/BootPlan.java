package dev.ktstr.kvm.vmm.boot;

import dev.ktstr.kvm.vmm.acpi.AcpiTables;
import dev.ktstr.kvm.vmm.memory.GuestBlob;
import dev.ktstr.kvm.vmm.memory.MemoryLayout;
import dev.ktstr.kvm.vmm.x86.E820Entry;
import dev.ktstr.kvm.vmm.x86.E820Map;
import dev.ktstr.kvm.vmm.x86.Gdt;
import dev.ktstr.kvm.vmm.x86.LowMemory;
import dev.ktstr.topology.NumaDistances;
import dev.ktstr.topology.Topology;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where everything goes in guest RAM for one boot, decided before the VM exists: the e820 map, the
 * command line at {@link LowMemory#CMDLINE}, the ACPI tables from {@link LowMemory#ACPI_BASE}, and
 * the initrd as high in low RAM as the kernel allows (like QEMU), page aligned, above the kernel's
 * working area. Fails with a message when something does not fit.
 *
 * @param cmdline    the final command line (without NUL)
 * @param initrdAddr page-aligned address of the initramfs (0 when there is none)
 */
public record BootPlan(MemoryLayout layout, List<E820Entry> e820, String cmdline, long initrdAddr, long initrdSize,
        AcpiTables acpi) {

    public BootPlan {
        e820 = List.copyOf(e820);
    }

    /** Thrown when the machine is too small for the kernel, initramfs or tables, with the numbers. */
    public static final class DoesNotFitException extends Exception {
        private static final long serialVersionUID = 1L;

        public DoesNotFitException(String message) {
            super(message);
        }
    }

    public static BootPlan plan(MemoryLayout layout, Topology topo, NumaDistances distances, String cmdline,
            BootKernel kernel, long initrdSize) throws DoesNotFitException {
        return plan(layout, topo, distances, cmdline, kernel.kernelEnd(), kernel.cmdlineMax(), kernel.initrdLimit(),
                initrdSize);
    }

    static BootPlan plan(MemoryLayout layout, Topology topo, NumaDistances distances, String cmdline, long kernelEnd,
            int cmdlineMax, long initrdLimit, long initrdSize) throws DoesNotFitException {
        byte[] line = cmdline.getBytes(StandardCharsets.US_ASCII);
        if (line.length > cmdlineMax) {
            throw new DoesNotFitException("kernel command line is " + line.length + " bytes; this kernel accepts at most "
                    + cmdlineMax);
        }
        List<E820Entry> e820 = E820Map.of(layout);
        long lowRamTop = E820Map.ramEndContaining(e820, LowMemory.KERNEL_LOAD);
        if (lowRamTop < 0 || kernelEnd > lowRamTop) {
            throw new DoesNotFitException(String.format(
                    "guest RAM too small: the kernel needs memory up to 0x%x, usable low RAM ends at 0x%x", kernelEnd,
                    lowRamTop));
        }
        long initrdAddr = 0;
        if (initrdSize > 0) {
            long top = Math.min(lowRamTop, initrdLimit);
            initrdAddr = (top - initrdSize) & -MemoryLayout.PAGE;
            long floor = (kernelEnd + MemoryLayout.PAGE - 1) & -MemoryLayout.PAGE;
            if (top - initrdSize < floor) {
                throw new DoesNotFitException(String.format(
                        "guest RAM too small: initramfs of %d bytes does not fit between the kernel's end 0x%x and "
                                + "0x%x", initrdSize, floor, top));
            }
        }
        AcpiTables acpi = AcpiTables.build(topo, distances, layout, LowMemory.ACPI_BASE);
        if (acpi.end() > LowMemory.BIOS_END) {
            throw new DoesNotFitException(String.format("ACPI tables end at 0x%x, past the BIOS area (0x%x)",
                    acpi.end(), LowMemory.BIOS_END));
        }
        return new BootPlan(layout, e820, cmdline, initrdAddr, initrdSize, acpi);
    }

    /** The blobs every boot path writes: GDT, empty IDT, command line, ACPI tables. */
    public List<GuestBlob> commonBlobs() {
        List<GuestBlob> out = new ArrayList<>();
        out.add(new GuestBlob("GDT", LowMemory.GDT, Gdt.table()));
        out.add(new GuestBlob("IDT", LowMemory.IDT, new byte[8]));
        byte[] line = cmdline.getBytes(StandardCharsets.US_ASCII);
        out.add(new GuestBlob("command line", LowMemory.CMDLINE, Arrays.copyOf(line, line.length + 1)));
        out.addAll(acpi.tables());
        return out;
    }
}

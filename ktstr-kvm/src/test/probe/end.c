/*
 * Ends the machine the way the host test asked (probe.end=...): ACPI S5 power-off through the FADT's
 * PM1a control block with the DSDT's SLP_TYP (ACPI 6.5 7.4.2, 16.1.7), i8042 reset (command 0xFE), the
 * FADT reset register, a triple fault, an int3 with no IDT, a Linux-style panic message, or a hang for
 * the watchdog.
 */
#include "probe.h"

static const struct {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed)) empty_idt = {0, 0};

static void halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

void end_machine(const char *how, const struct acpi_facts *f)
{
	pr("probe: end %s\n", how);
	if (streq(how, "reset")) {
		outb(0x64, 0xFE);
	} else if (streq(how, "acpi-reset")) {
		outb(0xCF9, 0x06);
	} else if (streq(how, "triple")) {
		/* With an empty IDT, a page fault (4 GiB is not mapped) escalates to #DF, then shutdown. */
		__asm__ volatile("lidt %0; movq (%1), %%rax" : : "m"(empty_idt), "r"(0x100000000ULL) : "rax", "memory");
	} else if (streq(how, "int3")) {
		/* An instruction KVM's emulator does not implement (under PVM this ends in an emulation failure). */
		__asm__ volatile("lidt %0; int3" : : "m"(empty_idt));
	} else if (streq(how, "panic")) {
		pr("Kernel panic - not syncing: probe asked for a panic\n");
		pr("---[ end Kernel panic - not syncing: probe asked for a panic ]---\n");
		halt_forever();
	} else if (streq(how, "hang")) {
		halt_forever();
	} else {
		uint16_t port = f && f->pm1a_cnt ? f->pm1a_cnt : 0x604;
		int typ = f && f->slp_typ_s5 >= 0 ? f->slp_typ_s5 : 5;
		outw(port, (uint16_t)((typ << 10) | (1 << 13)));
	}
	pr("probe: FAIL end-%s the machine is still running\n", how);
	halt_forever();
	__builtin_unreachable();
}

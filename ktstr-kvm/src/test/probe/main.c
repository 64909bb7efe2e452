/*
 * The probe's sequence: boot information, CPU state, ACPI, application processors, the optional
 * COM2 echo and power-button wait, a summary line, and the end the command line asks for. "probe.quick" skips straight to
 * the end (used to time boot and power-off alone).
 */
#include "probe.h"

static struct boot_info boot;
static struct acpi_facts acpi;

void probe_main(int kind, uint64_t info)
{
	char end[32];
	pr("probe: start boot=%s info=0x%lx\n", kind == BOOT_BZIMAGE ? "bzimage" : "pvh", info);
	idt_install();
	read_boot_info(kind, info, &boot);
	if (!cmdline_get(boot.cmdline, "probe.end", end, sizeof(end)))
		memcpy(end, "poweroff", 9);
	if (!cmdline_has(boot.cmdline, "probe.quick")) {
		report_boot_info(&boot);
		check_cpu_state(&boot);
		check_acpi(&boot, &acpi);
		start_aps(&acpi);
		if (cmdline_has(boot.cmdline, "probe.echo"))
			com2_echo();
		if (cmdline_has(boot.cmdline, "probe.button"))
			wait_power_button();
	} else {
		acpi.pm1a_cnt = 0x604;
		acpi.slp_typ_s5 = 5;
	}
	pr("probe: done pass=%d fail=%d\n", passes(), failures());
	end_machine(end, &acpi);
}

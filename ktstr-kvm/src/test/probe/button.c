/*
 * Waits for the ACPI fixed-feature power button (ACPI 6.5 4.8.2.2.1): enables PWRBTN_EN in the PM1a
 * enable register, routes the SCI (IRQ 9, level, active high as the MADT override says) through the
 * IOAPIC, sleeps until the SCI arrives, acknowledges PWRBTN_STS and returns, so the caller can power
 * off the way an OS answers the button.
 */
#include "probe.h"

#define PM1A_EVT 0x600
#define PM1_PWRBTN (1u << 8)
#define IOAPIC_LEVEL (1u << 15)

static volatile uint32_t sci_seen;

static uint16_t inw(uint16_t port)
{
	uint16_t v;
	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

void sci_irq(void)
{
	uint16_t sts = inw(PM1A_EVT);
	if (sts & PM1_PWRBTN) {
		outw(PM1A_EVT, PM1_PWRBTN); /* write 1 to clear: the SCI drops */
		sci_seen = 1;
	}
	lapic_eoi();
}

void wait_power_button(void)
{
	outb(0x21, 0xFF);
	outb(0xA1, 0xFF);
	lapic_enable();
	ioapic_route_flags(9, SCI_VECTOR, lapic_id(), IOAPIC_LEVEL);
	outw(PM1A_EVT + 2, PM1_PWRBTN);
	pr("probe: button armed\n");
	for (;;) {
		__asm__ volatile("cli");
		if (sci_seen)
			break;
		__asm__ volatile("sti; hlt" ::: "memory");
	}
	pr("probe: power button pressed\n");
	ok("power-button");
}

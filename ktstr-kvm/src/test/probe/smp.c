/*
 * Local APIC and IOAPIC access, and application-processor start-up by INIT and STARTUP IPIs
 * (Intel SDM Vol. 3A 10.4 "Local APIC", 10.6 "Issuing Interprocessor Interrupts", 8.4.4 "MP
 * Initialization Example"; 82093AA IOAPIC datasheet 3.2 "IOREDTBL"). Each AP runs the real-mode
 * trampoline (trampoline.S) and records its local APIC id.
 */
#include "probe.h"

#define LAPIC_ID 0x20
#define LAPIC_EOI 0xB0
#define LAPIC_SVR 0xF0
#define LAPIC_ICR_LO 0x300
#define LAPIC_ICR_HI 0x310
#define ICR_INIT 0x00004500u /* delivery mode INIT, level assert */
#define ICR_STARTUP 0x00004600u
#define SVR_ENABLE 0x100u
#define AP_WAIT_ROUNDS 400000

extern const uint8_t ap_trampoline[], ap_trampoline_end[];
extern volatile uint32_t ap_count;
extern volatile uint32_t ap_slot;
extern volatile uint32_t ap_ids[MAX_CPUS];

static uint32_t lapic_read(uint32_t reg) { return mmio_read32(LAPIC_BASE + reg); }
static void lapic_write(uint32_t reg, uint32_t v) { mmio_write32(LAPIC_BASE + reg, v); }

uint32_t lapic_id(void) { return lapic_read(LAPIC_ID) >> 24; }

/* Software-enables the local APIC (spurious vector 0xFF); without it no SIPI is delivered. */
void lapic_enable(void) { lapic_write(LAPIC_SVR, SVR_ENABLE | 0xFF); }

void lapic_eoi(void) { lapic_write(LAPIC_EOI, 0); }

/* Fixed delivery, physical destination, unmasked; flags add e.g. level trigger (bit 15). */
void ioapic_route_flags(int pin, int vector, uint32_t dest_apic, uint32_t flags)
{
	mmio_write32(IOAPIC_BASE, 0x11 + 2 * (uint32_t)pin);
	mmio_write32(IOAPIC_BASE + 0x10, dest_apic << 24);
	mmio_write32(IOAPIC_BASE, 0x10 + 2 * (uint32_t)pin);
	mmio_write32(IOAPIC_BASE + 0x10, (uint32_t)vector | flags);
}

void ioapic_route(int pin, int vector, uint32_t dest_apic) { ioapic_route_flags(pin, vector, dest_apic, 0); }

static void send_ipi(uint32_t apic, uint32_t icr)
{
	lapic_write(LAPIC_ICR_HI, apic << 24);
	lapic_write(LAPIC_ICR_LO, icr);
}

void start_aps(const struct acpi_facts *f)
{
	uint32_t self = lapic_id();
	uint32_t expected = 0;
	memcpy((void *)AP_TRAMPOLINE, ap_trampoline, (size_t)(ap_trampoline_end - ap_trampoline));
	ap_count = 0;
	ap_slot = 0;
	lapic_enable();
	for (int i = 0; i < f->cpu_count; i++) {
		if (f->apic_ids[i] == self)
			continue;
		expected++;
		send_ipi(f->apic_ids[i], ICR_INIT);
		io_delay();
		send_ipi(f->apic_ids[i], ICR_STARTUP | (uint32_t)(AP_TRAMPOLINE >> 12));
	}
	for (int round = 0; round < AP_WAIT_ROUNDS && ap_count < expected; round++)
		io_delay();
	uint32_t n = ap_count;
	/* Report in ascending APIC id order; arrival order is not deterministic. */
	uint32_t last = 0;
	int first = 1;
	for (uint32_t k = 0; k < n; k++) {
		uint32_t best = 0xFFFFFFFFu;
		for (uint32_t j = 0; j < n; j++)
			if ((first || ap_ids[j] > last) && ap_ids[j] < best)
				best = ap_ids[j];
		if (best == 0xFFFFFFFFu)
			break;
		pr("probe: ap apic=%u\n", best);
		last = best;
		first = 0;
	}
	pr("probe: aps started=%u expected=%u bsp=%u\n", n, expected, self);
	if (n == expected)
		ok("aps-started");
	else
		fail("aps-started", "%u of %u application processors reported in", n, expected);
}

/* The probe's 64-bit IDT: exception gates 0-31, the COM2 and SCI interrupts (Intel SDM Vol. 3A 6.14.1). */
#include "probe.h"

struct gate {
	uint16_t off_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t reserved;
} __attribute__((packed));

static struct gate idt[256] __attribute__((aligned(16)));

extern const uint64_t exc_table[32];
extern void com2_isr(void);
extern void sci_isr(void);

static void set_gate(int vec, uint64_t handler)
{
	idt[vec].off_lo = (uint16_t)handler;
	idt[vec].selector = 0x10;
	idt[vec].ist = 0;
	idt[vec].type_attr = 0x8E; /* present, DPL 0, 64-bit interrupt gate */
	idt[vec].off_mid = (uint16_t)(handler >> 16);
	idt[vec].off_hi = (uint32_t)(handler >> 32);
	idt[vec].reserved = 0;
}

void idt_install(void)
{
	for (int v = 0; v < 32; v++)
		set_gate(v, exc_table[v]);
	set_gate(COM2_VECTOR, (uint64_t)com2_isr);
	set_gate(SCI_VECTOR, (uint64_t)sci_isr);
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = {sizeof(idt) - 1, (uint64_t)idt};
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

void probe_trap(uint64_t vector, uint64_t error, uint64_t rip)
{
	fail("exception", "vector %lu error 0x%lx rip 0x%lx", vector, error, rip);
	end_machine("poweroff", NULL);
}

/*
 * Interrupt-driven COM2 receive (16550 IER "received data available", IOAPIC pin 3): the probe
 * sleeps in HLT until the host's bytes raise IRQ 3, then echoes them back on COM2 until a newline,
 * proving the agent channel can block on input without polling.
 */
#include "probe.h"

static volatile uint8_t rx_buf[256];
static volatile uint32_t rx_head;
static uint32_t rx_tail;

void com2_irq(void)
{
	while (inb(COM2 + 5) & 1)
		rx_buf[rx_head++ & 255] = inb(COM2);
	lapic_eoi();
}

static void com2_putc(uint8_t c)
{
	while (!(inb(COM2 + 5) & 0x20))
		;
	outb(COM2, c);
}

void com2_echo(void)
{
	outb(0x21, 0xFF); /* mask both 8259s: interrupts come through the IOAPIC */
	outb(0xA1, 0xFF);
	outb(COM2 + 1, 0x00);
	outb(COM2 + 3, 0x03);
	outb(COM2 + 4, 0x0B);
	lapic_enable();
	ioapic_route(3, COM2_VECTOR, lapic_id());
	outb(COM2 + 1, 0x01);
	pr("probe: com2 ready\n");
	uint32_t echoed = 0;
	for (;;) {
		__asm__ volatile("cli");
		if (rx_tail == rx_head) {
			__asm__ volatile("sti; hlt" ::: "memory");
			continue;
		}
		__asm__ volatile("sti");
		uint8_t c = rx_buf[rx_tail++ & 255];
		com2_putc(c);
		echoed++;
		if (c == '\n')
			break;
	}
	__asm__ volatile("cli");
	outb(COM2 + 1, 0x00);
	pr("probe: com2 echoed %u\n", echoed);
	ok("com2-echo");
}

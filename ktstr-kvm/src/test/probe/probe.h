/*
 * ktstr VMM probe guest: a freestanding x86-64 program the VMM boots exactly as it boots Linux
 * (bzImage 64-bit entry or PVH ELF entry). It checks the boot state the VMM promised, reports each
 * fact on COM1 as one "probe: ..." line, and ends the machine the way the command line asks.
 */
#ifndef KTSTR_PROBE_H
#define KTSTR_PROBE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define BOOT_BZIMAGE 1
#define BOOT_PVH 2

#define COM1 0x3F8
#define COM2 0x2F8
#define LAPIC_BASE 0xFEE00000UL
#define IOAPIC_BASE 0xFEC00000UL
#define AP_TRAMPOLINE 0x10000UL
#define COM2_VECTOR 0x33
#define SCI_VECTOR 0x39
#define MAX_CPUS 256
#define MAX_E820 128

/* ---- port and register access ---- */
static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}
static inline uint32_t mmio_read32(uint64_t addr) { return *(volatile uint32_t *)addr; }
static inline void mmio_write32(uint64_t addr, uint32_t v) { *(volatile uint32_t *)addr = v; }
static inline void io_delay(void) { outb(0x80, 0); }

/* ---- lib.c ---- */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
/* Value of "key=value" on the command line, copied into out (empty string if absent). */
int cmdline_get(const char *cmdline, const char *key, char *out, size_t outlen);
int cmdline_has(const char *cmdline, const char *word);
int streq(const char *a, const char *b);
/* FNV-1a over little-endian 64-bit words, the last one zero-padded (mirrored by the Java test). */
uint64_t fnv1a64_words(const void *p, uint64_t len);
uint8_t sum8(const void *p, uint64_t len);

/* ---- console.c ---- */
void con_putc(char c);
void pr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void ok(const char *name);
void fail(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int failures(void);
int passes(void);

/* ---- bootinfo.c ---- */
struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
};
struct boot_info {
	int kind;
	uint64_t info_addr;
	uint64_t cmdline_addr;
	const char *cmdline;
	uint64_t initrd_addr;
	uint64_t initrd_size;
	uint64_t rsdp;
	int e820_count;
	struct e820_entry e820[MAX_E820];
};
void read_boot_info(int kind, uint64_t info, struct boot_info *bi);
void report_boot_info(const struct boot_info *bi);

/* ---- cpu.c ---- */
void check_cpu_state(const struct boot_info *bi);

/* ---- acpi.c ---- */
struct acpi_facts {
	uint16_t pm1a_cnt;
	int slp_typ_s5;
	int cpu_count;
	uint32_t apic_ids[MAX_CPUS];
};
void check_acpi(const struct boot_info *bi, struct acpi_facts *facts);

/* ---- smp.c ---- */
uint32_t lapic_id(void);
void lapic_enable(void);
void lapic_eoi(void);
void ioapic_route(int pin, int vector, uint32_t dest_apic);
void ioapic_route_flags(int pin, int vector, uint32_t dest_apic, uint32_t flags);
void start_aps(const struct acpi_facts *facts);

/* ---- button.c ---- */
void wait_power_button(void);
void sci_irq(void);

/* ---- com2.c ---- */
void com2_echo(void);
void com2_irq(void);

/* ---- isr.S / idt.c ---- */
void idt_install(void);
void probe_trap(uint64_t vector, uint64_t error, uint64_t rip) __attribute__((noreturn));

/* ---- end.c ---- */
void end_machine(const char *how, const struct acpi_facts *facts) __attribute__((noreturn));

#endif

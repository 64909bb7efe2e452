/*
 * Checks the CPU state at entry against the boot protocols: long mode on identity page tables with
 * the boot GDT selectors (boot.rst "64-bit Boot Protocol"), or 32-bit protected mode without paging
 * (PVH boot ABI, recorded by pvh.S before the probe turned paging on).
 */
#include "probe.h"

#define MSR_EFER 0xC0000080u
#define CR0_PE 0x1ULL
#define CR0_PG 0x80000000ULL
#define CR4_PAE 0x20ULL
#define EFER_LME 0x100ULL
#define EFER_LMA 0x400ULL
#define PTE_P 0x1ULL
#define PTE_RW 0x2ULL
#define PTE_PS 0x80ULL
#define ADDR_MASK 0x000FFFFFFFFFF000ULL

extern uint32_t entry_cr0, entry_cr4, entry_efer_lo, entry_ebx;

static uint64_t cr0(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}
static uint64_t cr3(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}
static uint64_t cr4(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}
static uint16_t sel_cs(void)
{
	uint16_t v;
	__asm__ volatile("mov %%cs, %0" : "=r"(v));
	return v;
}
static uint16_t sel_ss(void)
{
	uint16_t v;
	__asm__ volatile("mov %%ss, %0" : "=r"(v));
	return v;
}

/* Walks 4-level paging (Intel SDM Vol. 3A 4.5); returns 1 and the physical address if mapped RW. */
static int translate(uint64_t va, uint64_t *pa)
{
	const uint64_t *table = (const uint64_t *)(cr3() & ADDR_MASK);
	for (int level = 3; level >= 0; level--) {
		uint64_t e = table[(va >> (12 + 9 * level)) & 511];
		if (!(e & PTE_P) || !(e & PTE_RW))
			return 0;
		if (level == 0 || (level <= 2 && (e & PTE_PS))) {
			uint64_t page = 1ULL << (12 + 9 * level);
			*pa = (e & ADDR_MASK & ~(page - 1)) | (va & (page - 1));
			return 1;
		}
		table = (const uint64_t *)(e & ADDR_MASK);
	}
	return 0;
}

static void check_identity(const char *what, uint64_t va)
{
	uint64_t pa = 0;
	if (!translate(va, &pa) || pa != va)
		fail("identity-map", "%s 0x%lx maps to 0x%lx", what, va, pa);
}

void check_cpu_state(const struct boot_info *bi)
{
	uint64_t efer = rdmsr(MSR_EFER);
	pr("probe: cpu cr0=0x%lx cr4=0x%lx efer=0x%lx cs=0x%x ss=0x%x\n", cr0(), cr4(), efer, sel_cs(), sel_ss());
	if (bi->kind == BOOT_PVH) {
		pr("probe: pvh-entry cr0=0x%x cr4=0x%x efer=0x%x ebx=0x%x\n", entry_cr0, entry_cr4, entry_efer_lo,
		   entry_ebx);
		if ((entry_cr0 & CR0_PE) && !(entry_cr0 & CR0_PG) && entry_cr4 == 0 && (entry_efer_lo & EFER_LME) == 0)
			ok("pvh-entry-mode");
		else
			fail("pvh-entry-mode", "cr0 0x%x cr4 0x%x efer 0x%x", entry_cr0, entry_cr4, entry_efer_lo);
		return;
	}
	if ((cr0() & (CR0_PE | CR0_PG)) == (CR0_PE | CR0_PG) && (cr4() & CR4_PAE) &&
	    (efer & (EFER_LME | EFER_LMA)) == (EFER_LME | EFER_LMA))
		ok("long-mode");
	else
		fail("long-mode", "cr0 0x%lx cr4 0x%lx efer 0x%lx", cr0(), cr4(), efer);
	if (sel_cs() == 0x10 && sel_ss() == 0x18)
		ok("boot-selectors");
	else
		fail("boot-selectors", "cs 0x%x ss 0x%x (want __BOOT_CS 0x10, __BOOT_DS 0x18)", sel_cs(), sel_ss());
	int before = failures();
	check_identity("null page", 0);
	check_identity("kernel", 0x100000);
	check_identity("zero page", bi->info_addr);
	check_identity("command line", bi->cmdline_addr);
	if (bi->initrd_size) {
		check_identity("initrd start", bi->initrd_addr);
		check_identity("initrd end", bi->initrd_addr + bi->initrd_size - 1);
	}
	check_identity("RSDP", bi->rsdp);
	check_identity("local APIC", LAPIC_BASE);
	check_identity("top of 4 GiB", 0xFFFFF000ULL);
	if (failures() == before)
		ok("identity-map");
}

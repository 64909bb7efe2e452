/*
 * Reads what the VMM handed over: the zero page (Documentation/arch/x86/zero-page.rst, boot.rst) on
 * the 64-bit bzImage path, or hvm_start_info (Xen start_info.h) on the PVH path.
 */
#include "probe.h"

#define ZP_ACPI_RSDP 0x070
#define ZP_EXT_RAMDISK_IMAGE 0x0C0
#define ZP_EXT_RAMDISK_SIZE 0x0C4
#define ZP_EXT_CMD_LINE_PTR 0x0C8
#define ZP_E820_ENTRIES 0x1E8
#define ZP_HEADER 0x202
#define ZP_TYPE_OF_LOADER 0x210
#define ZP_LOADFLAGS 0x211
#define ZP_RAMDISK_IMAGE 0x218
#define ZP_RAMDISK_SIZE 0x21C
#define ZP_CMD_LINE_PTR 0x228
#define ZP_E820_TABLE 0x2D0

#define HVM_START_MAGIC 0x336ec578u

static uint32_t rd32(uint64_t base, unsigned off) { return *(const uint32_t *)(base + off); }
static uint64_t rd64(uint64_t base, unsigned off) { return *(const uint64_t *)(base + off); }

static void read_zero_page(uint64_t zp, struct boot_info *bi)
{
	if (memcmp((const void *)(zp + ZP_HEADER), "HdrS", 4) == 0)
		ok("zeropage-header");
	else
		fail("zeropage-header", "no HdrS at 0x202 of the zero page at 0x%lx", zp);
	uint8_t loader = *(const uint8_t *)(zp + ZP_TYPE_OF_LOADER);
	uint8_t flags = *(const uint8_t *)(zp + ZP_LOADFLAGS);
	if (loader == 0xFF && (flags & 1))
		ok("zeropage-loader");
	else
		fail("zeropage-loader", "type_of_loader 0x%x loadflags 0x%x", loader, flags);
	bi->cmdline_addr = rd32(zp, ZP_CMD_LINE_PTR) | ((uint64_t)rd32(zp, ZP_EXT_CMD_LINE_PTR) << 32);
	bi->initrd_addr = rd32(zp, ZP_RAMDISK_IMAGE) | ((uint64_t)rd32(zp, ZP_EXT_RAMDISK_IMAGE) << 32);
	bi->initrd_size = rd32(zp, ZP_RAMDISK_SIZE) | ((uint64_t)rd32(zp, ZP_EXT_RAMDISK_SIZE) << 32);
	bi->rsdp = rd64(zp, ZP_ACPI_RSDP);
	int n = *(const uint8_t *)(zp + ZP_E820_ENTRIES);
	if (n > MAX_E820)
		n = MAX_E820;
	for (int i = 0; i < n; i++) {
		uint64_t e = zp + ZP_E820_TABLE + 20 * (uint64_t)i;
		bi->e820[i].addr = rd64(e, 0);
		bi->e820[i].size = rd64(e, 8);
		bi->e820[i].type = rd32(e, 16);
	}
	bi->e820_count = n;
}

static void read_start_info(uint64_t si, struct boot_info *bi)
{
	uint32_t magic = rd32(si, 0), version = rd32(si, 4);
	if (magic == HVM_START_MAGIC && version >= 1)
		ok("start-info-magic");
	else
		fail("start-info-magic", "magic 0x%x version %u at 0x%lx", magic, version, si);
	uint32_t nr_modules = rd32(si, 12);
	uint64_t modlist = rd64(si, 16);
	bi->cmdline_addr = rd64(si, 24);
	bi->rsdp = rd64(si, 32);
	uint64_t memmap = rd64(si, 40);
	int n = (int)rd32(si, 48);
	if (nr_modules >= 1) {
		bi->initrd_addr = rd64(modlist, 0);
		bi->initrd_size = rd64(modlist, 8);
	}
	pr("probe: pvh modules=%u\n", nr_modules);
	if (n > MAX_E820)
		n = MAX_E820;
	for (int i = 0; i < n; i++) {
		uint64_t e = memmap + 24 * (uint64_t)i;
		bi->e820[i].addr = rd64(e, 0);
		bi->e820[i].size = rd64(e, 8);
		bi->e820[i].type = rd32(e, 16);
	}
	bi->e820_count = n;
}

void read_boot_info(int kind, uint64_t info, struct boot_info *bi)
{
	bi->kind = kind;
	bi->info_addr = info;
	if (kind == BOOT_BZIMAGE)
		read_zero_page(info, bi);
	else
		read_start_info(info, bi);
	bi->cmdline = bi->cmdline_addr ? (const char *)bi->cmdline_addr : "";
}

void report_boot_info(const struct boot_info *bi)
{
	pr("probe: cmdline %s\n", bi->cmdline);
	for (int i = 0; i < bi->e820_count; i++)
		pr("probe: e820 0x%lx 0x%lx %u\n", bi->e820[i].addr, bi->e820[i].size, bi->e820[i].type);
	int sorted = bi->e820_count > 0;
	for (int i = 1; i < bi->e820_count; i++)
		if (bi->e820[i].addr < bi->e820[i - 1].addr + bi->e820[i - 1].size)
			sorted = 0;
	if (sorted)
		ok("e820-sorted");
	else
		fail("e820-sorted", "%d entries, overlapping or unsorted", bi->e820_count);
	if (bi->initrd_size) {
		pr("probe: initrd addr=0x%lx size=0x%lx hash=0x%lx\n", bi->initrd_addr, bi->initrd_size,
		   fnv1a64_words((const void *)bi->initrd_addr, bi->initrd_size));
		int in_ram = 0;
		for (int i = 0; i < bi->e820_count; i++)
			if (bi->e820[i].type == 1 && bi->initrd_addr >= bi->e820[i].addr &&
			    bi->initrd_addr + bi->initrd_size <= bi->e820[i].addr + bi->e820[i].size)
				in_ram = 1;
		if (in_ram && (bi->initrd_addr & 0xFFF) == 0)
			ok("initrd-placement");
		else
			fail("initrd-placement", "initrd at 0x%lx is not page-aligned RAM", bi->initrd_addr);
	} else {
		pr("probe: initrd none\n");
	}
}

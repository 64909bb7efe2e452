/*
 * Walks the ACPI tables the way an OS does (ACPI 6.5 5.2): finds the RSDP both through the pointer
 * the boot protocol passed and by scanning the BIOS area, validates every checksum, follows XSDT and
 * RSDT, FADT to DSDT and FACS, decodes \_S5 from the DSDT's AML, and reports MADT, SRAT, SLIT and
 * HMAT contents line by line for the host to compare with the topology it asked for.
 */
#include "probe.h"

struct sdt {
	char sig[4];
	uint32_t len;
	uint8_t rev;
	uint8_t csum;
	char oem[6];
	char oem_table[8];
	uint32_t oem_rev;
	char creator[4];
	uint32_t creator_rev;
} __attribute__((packed));

static uint64_t rsdp_scan(void)
{
	for (uint64_t a = 0xE0000; a < 0x100000; a += 16)
		if (memcmp((const void *)a, "RSD PTR ", 8) == 0 && sum8((const void *)a, 20) == 0)
			return a;
	return 0;
}

static int valid_table(uint64_t addr, const char *want)
{
	const struct sdt *t = (const struct sdt *)addr;
	if (memcmp(t->sig, want, 4) != 0) {
		fail("acpi-signature", "0x%lx holds %c%c%c%c, expected %s", addr, t->sig[0], t->sig[1], t->sig[2],
		     t->sig[3], want);
		return 0;
	}
	if (t->len < sizeof(struct sdt) || sum8(t, t->len) != 0) {
		fail("acpi-checksum", "%s at 0x%lx (length %u)", want, addr, t->len);
		return 0;
	}
	return 1;
}

static void report(uint64_t addr)
{
	const struct sdt *t = (const struct sdt *)addr;
	pr("probe: acpi %c%c%c%c addr=0x%lx len=%u rev=%u\n", t->sig[0], t->sig[1], t->sig[2], t->sig[3], addr,
	   t->len, t->rev);
}

static void walk_madt(uint64_t addr, struct acpi_facts *f)
{
	const uint8_t *p = (const uint8_t *)addr + 44, *end = (const uint8_t *)addr + ((const struct sdt *)addr)->len;
	pr("probe: madt lapic_addr=0x%x flags=0x%x\n", *(const uint32_t *)(addr + 36), *(const uint32_t *)(addr + 40));
	while (p + 2 <= end && p[1] >= 2) {
		switch (p[0]) {
		case 0:
			pr("probe: madt lapic uid=%u apic=%u flags=%u\n", p[2], p[3], *(const uint32_t *)(p + 4));
			if ((*(const uint32_t *)(p + 4) & 1) && f->cpu_count < MAX_CPUS)
				f->apic_ids[f->cpu_count++] = p[3];
			break;
		case 9:
			pr("probe: madt x2apic uid=%u apic=%u flags=%u\n", *(const uint32_t *)(p + 12),
			   *(const uint32_t *)(p + 4), *(const uint32_t *)(p + 8));
			if ((*(const uint32_t *)(p + 8) & 1) && f->cpu_count < MAX_CPUS)
				f->apic_ids[f->cpu_count++] = *(const uint32_t *)(p + 4);
			break;
		case 1:
			pr("probe: madt ioapic id=%u addr=0x%x gsi=%u\n", p[2], *(const uint32_t *)(p + 4),
			   *(const uint32_t *)(p + 8));
			break;
		case 2:
			pr("probe: madt iso irq=%u gsi=%u flags=0x%x\n", p[3], *(const uint32_t *)(p + 4),
			   *(const uint16_t *)(p + 8));
			break;
		case 4:
			pr("probe: madt nmi uid=0x%x lint=%u\n", p[2], p[5]);
			break;
		case 0xA:
			pr("probe: madt x2apic-nmi uid=0x%x lint=%u\n", *(const uint32_t *)(p + 4), p[8]);
			break;
		default:
			pr("probe: madt type=%u len=%u\n", p[0], p[1]);
		}
		p += p[1];
	}
	if (p == end)
		ok("madt-structure");
	else
		fail("madt-structure", "entries overrun the table by %d bytes", (int)(p - end));
}

static void walk_srat(uint64_t addr)
{
	const uint8_t *p = (const uint8_t *)addr + 48, *end = (const uint8_t *)addr + ((const struct sdt *)addr)->len;
	while (p + 2 <= end && p[1] >= 2) {
		if (p[0] == 0) {
			uint32_t node = p[2] | (uint32_t)p[9] << 8 | (uint32_t)p[10] << 16 | (uint32_t)p[11] << 24;
			pr("probe: srat cpu apic=%u node=%u flags=%u\n", p[3], node, *(const uint32_t *)(p + 4));
		} else if (p[0] == 2) {
			pr("probe: srat cpu apic=%u node=%u flags=%u\n", *(const uint32_t *)(p + 8),
			   *(const uint32_t *)(p + 4), *(const uint32_t *)(p + 12));
		} else if (p[0] == 1) {
			pr("probe: srat mem base=0x%lx len=0x%lx node=%u flags=%u\n", *(const uint64_t *)(p + 8),
			   *(const uint64_t *)(p + 16), *(const uint32_t *)(p + 2), *(const uint32_t *)(p + 28));
		} else {
			pr("probe: srat type=%u\n", p[0]);
		}
		p += p[1];
	}
	if (p == end)
		ok("srat-structure");
	else
		fail("srat-structure", "entries overrun the table");
}

static void walk_slit(uint64_t addr)
{
	uint64_t n = *(const uint64_t *)(addr + 36);
	const uint8_t *m = (const uint8_t *)addr + 44;
	pr("probe: slit n=%lu d=", n);
	int diag_ok = 1;
	for (uint64_t i = 0; i < n * n; i++) {
		pr(i ? ",%u" : "%u", m[i]);
		if (i / n == i % n && m[i] != 10)
			diag_ok = 0;
	}
	pr("\n");
	if (diag_ok && 44 + n * n == ((const struct sdt *)addr)->len)
		ok("slit-matrix");
	else
		fail("slit-matrix", "diagonal or length wrong for n=%lu", n);
}

static void walk_hmat(uint64_t addr)
{
	const uint8_t *p = (const uint8_t *)addr + 40, *end = (const uint8_t *)addr + ((const struct sdt *)addr)->len;
	int mpda = 0, sllbi = 0;
	while (p + 8 <= end) {
		uint32_t len = *(const uint32_t *)(p + 4);
		if (len < 8)
			break;
		if (*(const uint16_t *)p == 0)
			mpda++;
		else if (*(const uint16_t *)p == 1)
			sllbi++;
		p += len;
	}
	pr("probe: hmat mpda=%d sllbi=%d\n", mpda, sllbi);
	if (p == end)
		ok("hmat-structure");
	else
		fail("hmat-structure", "structures overrun the table");
}

/* Finds Name(\_S5_, Package(){ BytePrefix n, ...}) in the DSDT AML and returns n, or -1. */
static int find_s5(uint64_t dsdt)
{
	const uint8_t *p = (const uint8_t *)dsdt + 36, *end = (const uint8_t *)dsdt + ((const struct sdt *)dsdt)->len;
	for (; p + 9 <= end; p++) {
		if (memcmp(p, "_S5_", 4) != 0 || p[4] != 0x12)
			continue;
		const uint8_t *e = p + 7; /* PackageOp, PkgLength (1 byte), NumElements */
		if (e[0] == 0x0A)
			return e[1];
		if (e[0] == 0x00 || e[0] == 0x01)
			return e[0];
	}
	return -1;
}

static void walk_fadt(uint64_t addr, struct acpi_facts *f)
{
	uint64_t dsdt = *(const uint64_t *)(addr + 140);
	uint64_t facs = *(const uint64_t *)(addr + 132);
	if (!dsdt)
		dsdt = *(const uint32_t *)(addr + 40);
	if (!facs)
		facs = *(const uint32_t *)(addr + 36);
	f->pm1a_cnt = (uint16_t)*(const uint32_t *)(addr + 64);
	pr("probe: fadt pm1a_evt=0x%x pm1a_cnt=0x%x sci=%u flags=0x%x boot_arch=0x%x\n", *(const uint32_t *)(addr + 56),
	   f->pm1a_cnt, *(const uint16_t *)(addr + 46), *(const uint32_t *)(addr + 112), *(const uint16_t *)(addr + 109));
	if (valid_table(dsdt, "DSDT")) {
		report(dsdt);
		f->slp_typ_s5 = find_s5(dsdt);
		pr("probe: dsdt s5=%d\n", f->slp_typ_s5);
		if (f->slp_typ_s5 >= 0)
			ok("dsdt-s5");
		else
			fail("dsdt-s5", "no \\_S5 package in the DSDT");
	}
	if (memcmp((const void *)facs, "FACS", 4) == 0 && *(const uint32_t *)(facs + 4) == 64 && (facs & 63) == 0)
		ok("facs");
	else
		fail("facs", "no 64-byte aligned FACS at 0x%lx", facs);
}

void check_acpi(const struct boot_info *bi, struct acpi_facts *f)
{
	uint64_t scanned = rsdp_scan();
	f->slp_typ_s5 = -1;
	if (scanned && scanned == bi->rsdp)
		ok("rsdp-found");
	else
		fail("rsdp-found", "boot info says 0x%lx, BIOS-area scan found 0x%lx", bi->rsdp, scanned);
	uint64_t rsdp = bi->rsdp ? bi->rsdp : scanned;
	if (!rsdp)
		return;
	const uint8_t *r = (const uint8_t *)rsdp;
	if (r[15] == 2 && sum8(r, 20) == 0 && *(const uint32_t *)(r + 20) == 36 && sum8(r, 36) == 0)
		ok("rsdp-checksums");
	else
		fail("rsdp-checksums", "revision %u", r[15]);
	uint64_t xsdt = *(const uint64_t *)(r + 24);
	uint64_t rsdt = *(const uint32_t *)(r + 16);
	if (!valid_table(xsdt, "XSDT") || !valid_table(rsdt, "RSDT"))
		return;
	report(xsdt);
	report(rsdt);
	uint32_t n = (((const struct sdt *)xsdt)->len - 36) / 8;
	uint32_t n32 = (((const struct sdt *)rsdt)->len - 36) / 4;
	int same = n == n32;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t t = *(const uint64_t *)(xsdt + 36 + 8 * i);
		if (same && *(const uint32_t *)(rsdt + 36 + 4 * i) != t)
			same = 0;
		const struct sdt *h = (const struct sdt *)t;
		if (!valid_table(t, (const char[5]){h->sig[0], h->sig[1], h->sig[2], h->sig[3], 0}))
			continue;
		report(t);
		if (memcmp(h->sig, "FACP", 4) == 0)
			walk_fadt(t, f);
		else if (memcmp(h->sig, "APIC", 4) == 0)
			walk_madt(t, f);
		else if (memcmp(h->sig, "SRAT", 4) == 0)
			walk_srat(t);
		else if (memcmp(h->sig, "SLIT", 4) == 0)
			walk_slit(t);
		else if (memcmp(h->sig, "HMAT", 4) == 0)
			walk_hmat(t);
	}
	if (same)
		ok("rsdt-matches-xsdt");
	else
		fail("rsdt-matches-xsdt", "RSDT lists %u tables, XSDT %u, or they differ", n32, n);
	if (n > 0)
		ok("acpi-tables");
}

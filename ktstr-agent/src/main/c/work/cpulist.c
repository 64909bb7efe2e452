// SPDX-License-Identifier: Apache-2.0
/* CPU and node lists in the kernel's list format ("0-3,5"; Documentation/admin-guide/cputopology). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "work_internal.h"

static const char *skip_ws(const char *p)
{
	while (*p && isspace((unsigned char)*p))
		p++;
	return p;
}

static int parse_id(const char **pp, unsigned *out)
{
	const char *p = *pp;
	if (!isdigit((unsigned char)*p))
		return -1;
	unsigned long v = 0;
	while (isdigit((unsigned char)*p)) {
		v = v * 10 + (unsigned long)(*p - '0');
		if (v >= KW_LIST_BITS)
			return -1;
		p++;
	}
	*out = (unsigned)v;
	*pp = p;
	return 0;
}

int kw_list_parse(const char *s, uint64_t bits[KW_LIST_WORDS])
{
	memset(bits, 0, KW_LIST_WORDS * sizeof(uint64_t));
	const char *p = skip_ws(s ? s : "");
	if (!*p)
		return 0;
	for (;;) {
		unsigned lo, hi;
		p = skip_ws(p);
		if (parse_id(&p, &lo))
			return -1;
		hi = lo;
		if (*p == '-') {
			p++;
			if (parse_id(&p, &hi) || hi < lo)
				return -1;
		}
		for (unsigned i = lo; i <= hi; i++)
			bits[i / 64] |= 1ULL << (i % 64);
		p = skip_ws(p);
		if (*p == ',') {
			p++;
			continue;
		}
		return *p ? -1 : 0;
	}
}

static int has(const uint64_t *bits, unsigned i)
{
	return (bits[i / 64] >> (i % 64)) & 1;
}

int kw_list_format(const uint64_t bits[KW_LIST_WORDS], char *buf, size_t cap)
{
	size_t len = 0;
	int fit = 1;
	if (cap)
		buf[0] = 0;
	for (unsigned i = 0; i < KW_LIST_BITS; i++) {
		if (!has(bits, i))
			continue;
		unsigned j = i;
		while (j + 1 < KW_LIST_BITS && has(bits, j + 1))
			j++;
		char item[32];
		int n = j == i ? snprintf(item, sizeof(item), "%s%u", len ? "," : "", i)
			       : snprintf(item, sizeof(item), "%s%u-%u", len ? "," : "", i, j);
		if (len + (size_t)n + 1 > cap) {
			fit = 0;
			break;
		}
		memcpy(buf + len, item, (size_t)n + 1);
		len += (size_t)n;
		i = j;
	}
	return fit ? (int)len : -1;
}

void kw_list_to_cpuset(const uint64_t bits[KW_LIST_WORDS], cpu_set_t *set)
{
	CPU_ZERO(set);
	for (unsigned i = 0; i < KW_LIST_BITS && i < CPU_SETSIZE; i++)
		if (has(bits, i))
			CPU_SET(i, set);
}

int kw_list_empty(const uint64_t bits[KW_LIST_WORDS])
{
	for (unsigned i = 0; i < KW_LIST_WORDS; i++)
		if (bits[i])
			return 0;
	return 1;
}

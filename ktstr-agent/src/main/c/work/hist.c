// SPDX-License-Identifier: Apache-2.0
/* The log-linear latency histogram of ktstr_work.h (struct kw_hist, kw_hist_index). */
#include <string.h>

#include "ktstr_work.h"

void kw_hist_init(struct kw_hist *h)
{
	memset(h, 0, sizeof(*h));
}

void kw_hist_record(struct kw_hist *h, uint64_t v)
{
	uint32_t *b = &h->buckets[kw_hist_index(v)];
	if (*b == UINT32_MAX)
		return;
	(*b)++;
	if (h->count == 0 || v < h->min_ns)
		h->min_ns = v;
	if (v > h->max_ns)
		h->max_ns = v;
	h->count++;
	h->sum_ns += v;
}

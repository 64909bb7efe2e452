// SPDX-License-Identifier: Apache-2.0
/* The wire encoding of struct kw_report (ktstr_work.h; Java mirror: dev.ktstr.runtime.agent.WorkWire). */
#include <string.h>

#include "ktstr_work.h"

void kw_report_encode(struct kbuf *b, const struct kw_report *r)
{
	kbuf_u32(b, r->group_id);
	kbuf_u32(b, r->index);
	kbuf_i32(b, r->pid);
	kbuf_u32(b, r->exit_kind);
	kbuf_i32(b, r->exit_code);
	kbuf_i32(b, r->term_signal);
	kbuf_u8(b, r->completed);
	kbuf_u8(b, r->is_messenger);
	kbuf_u64(b, r->work_units);
	kbuf_u64(b, r->iterations);
	kbuf_u64(b, r->cpu_time_ns);
	kbuf_u64(b, r->wall_time_ns);
	kbuf_u64(b, r->off_cpu_ns);
	kbuf_u64(b, r->migration_count);
	uint32_t nmig = r->nmig < KW_MAX_MIGRATIONS ? r->nmig : KW_MAX_MIGRATIONS;
	kbuf_u32(b, nmig);
	for (uint32_t i = 0; i < nmig; i++) {
		kbuf_u64(b, r->migrations[i].at_ns);
		kbuf_u32(b, r->migrations[i].from_cpu);
		kbuf_u32(b, r->migrations[i].to_cpu);
	}
	kbuf_strn(b, r->cpus_used, strnlen(r->cpus_used, sizeof(r->cpus_used)));
	kbuf_u64(b, r->max_gap_ns);
	kbuf_i32(b, r->max_gap_cpu);
	kbuf_u64(b, r->max_gap_at_ns);
	kbuf_u64(b, r->hist.count);
	kbuf_u64(b, r->hist.sum_ns);
	kbuf_u64(b, r->hist.min_ns);
	kbuf_u64(b, r->hist.max_ns);
	uint32_t nb = 0;
	for (uint32_t i = 0; i < KW_HIST_BUCKETS; i++)
		nb += r->hist.buckets[i] != 0;
	kbuf_u32(b, nb);
	for (uint32_t i = 0; i < KW_HIST_BUCKETS; i++) {
		if (r->hist.buckets[i]) {
			kbuf_u32(b, i);
			kbuf_u32(b, r->hist.buckets[i]);
		}
	}
	kbuf_u64(b, r->schedstat_cpu_time_ns);
	kbuf_u64(b, r->schedstat_run_delay_ns);
	kbuf_u64(b, r->schedstat_run_count);
	kbuf_u64(b, r->voluntary_switches);
	kbuf_u64(b, r->involuntary_switches);
	uint32_t nn = r->nnodes < KW_MAX_NODES ? r->nnodes : KW_MAX_NODES;
	kbuf_u32(b, nn);
	for (uint32_t i = 0; i < nn; i++)
		kbuf_u64(b, r->pages_on_node[i]);
	kbuf_u64(b, r->numa_pages_migrated);
	kbuf_u64(b, r->children);
}

int kw_report_decode(struct kbuf_reader *rd, struct kw_report *r)
{
	memset(r, 0, sizeof(*r));
	r->group_id = kbr_u32(rd);
	r->index = kbr_u32(rd);
	r->pid = kbr_i32(rd);
	r->exit_kind = kbr_u32(rd);
	r->exit_code = kbr_i32(rd);
	r->term_signal = kbr_i32(rd);
	r->completed = kbr_u8(rd);
	r->is_messenger = kbr_u8(rd);
	r->work_units = kbr_u64(rd);
	r->iterations = kbr_u64(rd);
	r->cpu_time_ns = kbr_u64(rd);
	r->wall_time_ns = kbr_u64(rd);
	r->off_cpu_ns = kbr_u64(rd);
	r->migration_count = kbr_u64(rd);
	r->nmig = kbr_u32(rd);
	if (rd->err || r->nmig > KW_MAX_MIGRATIONS)
		return -1;
	for (uint32_t i = 0; i < r->nmig; i++) {
		r->migrations[i].at_ns = kbr_u64(rd);
		r->migrations[i].from_cpu = kbr_u32(rd);
		r->migrations[i].to_cpu = kbr_u32(rd);
	}
	uint32_t n;
	const uint8_t *s = kbr_bytes(rd, &n);
	if (!s || n >= sizeof(r->cpus_used))
		return -1;
	memcpy(r->cpus_used, s, n);
	r->cpus_used[n] = 0;
	r->max_gap_ns = kbr_u64(rd);
	r->max_gap_cpu = kbr_i32(rd);
	r->max_gap_at_ns = kbr_u64(rd);
	r->hist.count = kbr_u64(rd);
	r->hist.sum_ns = kbr_u64(rd);
	r->hist.min_ns = kbr_u64(rd);
	r->hist.max_ns = kbr_u64(rd);
	uint32_t nb = kbr_u32(rd);
	if (rd->err || nb > KW_HIST_BUCKETS)
		return -1;
	uint64_t total = 0;
	for (uint32_t i = 0; i < nb; i++) {
		uint32_t idx = kbr_u32(rd), cnt = kbr_u32(rd);
		if (rd->err || idx >= KW_HIST_BUCKETS || r->hist.buckets[idx])
			return -1;
		r->hist.buckets[idx] = cnt;
		total += cnt;
	}
	if (total != r->hist.count)
		return -1;
	r->schedstat_cpu_time_ns = kbr_u64(rd);
	r->schedstat_run_delay_ns = kbr_u64(rd);
	r->schedstat_run_count = kbr_u64(rd);
	r->voluntary_switches = kbr_u64(rd);
	r->involuntary_switches = kbr_u64(rd);
	r->nnodes = kbr_u32(rd);
	if (rd->err || r->nnodes > KW_MAX_NODES)
		return -1;
	for (uint32_t i = 0; i < r->nnodes; i++)
		r->pages_on_node[i] = kbr_u64(rd);
	r->numa_pages_migrated = kbr_u64(rd);
	r->children = kbr_u64(rd);
	return rd->err ? -1 : 0;
}

// SPDX-License-Identifier: Apache-2.0
/*
 * Worker group specs: the W_SPAWN wire encoding (ktstr_work.h), validation, parameter defaults
 * (ktstr facts §7.2) and group sizes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "work_internal.h"

struct kw_type_info {
	const char *name;
	unsigned nparams;
	uint64_t defaults[KW_MAX_PARAMS];
	uint64_t max[KW_MAX_PARAMS]; /* upper bound of each parameter (sanity: memory, group sizes) */
};

#define KW_MAX_KB (1ULL << 20)       /* 1 GiB buffers */
#define KW_MAX_ITERS (1ULL << 32)    /* spin iterations per step */
#define KW_MAX_MS (3600ULL * 1000)   /* one hour */
#define KW_MAX_FAN_OUT 1023ULL
#define KW_MAX_WORKERS 4096U

static const struct kw_type_info types[KW_TYPE_MAX + 1] = {
	[KW_CPU_SPIN] = { "CpuSpin", 0, { 0 }, { 0 } },
	[KW_YIELD_HEAVY] = { "YieldHeavy", 0, { 0 }, { 0 } },
	[KW_MIXED] = { "Mixed", 0, { 0 }, { 0 } },
	[KW_IO_SYNC] = { "IoSync", 0, { 0 }, { 0 } },
	[KW_BURSTY] = { "Bursty", 2, { 50, 100 }, { KW_MAX_MS, KW_MAX_MS } },
	[KW_PIPE_IO] = { "PipeIo", 1, { 1024 }, { KW_MAX_ITERS } },
	[KW_FUTEX_PING_PONG] = { "FutexPingPong", 1, { 1024 }, { KW_MAX_ITERS } },
	[KW_FUTEX_FAN_OUT] = { "FutexFanOut", 2, { 4, 1024 }, { KW_MAX_FAN_OUT, KW_MAX_ITERS } },
	[KW_CACHE_PRESSURE] = { "CachePressure", 2, { 32, 64 }, { KW_MAX_KB, KW_MAX_KB * 1024 } },
	[KW_CACHE_YIELD] = { "CacheYield", 2, { 32, 64 }, { KW_MAX_KB, KW_MAX_KB * 1024 } },
	[KW_CACHE_PIPE] = { "CachePipe", 2, { 32, 1024 }, { KW_MAX_KB, KW_MAX_ITERS } },
	[KW_SEQUENCE] = { "Sequence", 0, { 0 }, { 0 } },
	[KW_FORK_EXIT] = { "ForkExit", 0, { 0 }, { 0 } },
	[KW_NICE_SWEEP] = { "NiceSweep", 0, { 0 }, { 0 } },
	[KW_AFFINITY_CHURN] = { "AffinityChurn", 1, { 1024 }, { KW_MAX_ITERS } },
	[KW_POLICY_CHURN] = { "PolicyChurn", 1, { 1024 }, { KW_MAX_ITERS } },
	[KW_FAN_OUT_COMPUTE] = { "FanOutCompute", 4, { 4, 256, 5, 100 },
				 { KW_MAX_FAN_OUT, KW_MAX_KB, 1000000, 1000000000ULL } },
	[KW_PAGE_FAULT_CHURN] = { "PageFaultChurn", 3, { 4096, 256, 64 },
				  { KW_MAX_KB, 1ULL << 24, KW_MAX_ITERS } },
	[KW_MUTEX_CONTENTION] = { "MutexContention", 3, { 4, 256, 1024 },
				  { KW_MAX_WORKERS, KW_MAX_ITERS, KW_MAX_ITERS } },
	[KW_CUSTOM] = { "Custom", 0, { 0 }, { 0 } },
};

static int type_known(uint32_t type)
{
	return type >= 1 && type <= KW_TYPE_MAX;
}

const char *kw_type_name(uint32_t type)
{
	return type_known(type) ? types[type].name : "?";
}

uint64_t kw_param(const struct kw_group_spec *s, unsigned i)
{
	if (!type_known(s->type) || i >= types[s->type].nparams)
		return 0;
	if (i < s->nparams && s->params[i] != 0)
		return s->params[i];
	return types[s->type].defaults[i];
}

uint32_t kw_group_size(const struct kw_group_spec *s)
{
	switch (s->type) {
	case KW_PIPE_IO:
	case KW_FUTEX_PING_PONG:
	case KW_CACHE_PIPE:
		return 2;
	case KW_FUTEX_FAN_OUT:
	case KW_FAN_OUT_COMPUTE:
		return (uint32_t)kw_param(s, 0) + 1;
	case KW_MUTEX_CONTENTION:
		return (uint32_t)kw_param(s, 0);
	default:
		return 1;
	}
}

/* ---- wire --------------------------------------------------------------------------------------- */

static uint32_t strv_len(char *const *v)
{
	uint32_t n = 0;
	while (v && v[n])
		n++;
	return n;
}

void kw_spec_encode(struct kbuf *b, const struct kw_group_spec *s)
{
	kbuf_u32(b, s->group_id);
	kbuf_str(b, s->cgroup);
	kbuf_u32(b, s->type);
	kbuf_u32(b, s->nparams);
	for (uint32_t i = 0; i < s->nparams && i < KW_MAX_PARAMS; i++)
		kbuf_u64(b, s->params[i]);
	kbuf_u32(b, s->nphases);
	for (uint32_t i = 0; i < s->nphases && i < KW_MAX_PHASES; i++) {
		kbuf_u32(b, s->phases[i].kind);
		kbuf_u64(b, s->phases[i].duration_ns);
	}
	kbuf_strs(b, s->custom_argv, strv_len(s->custom_argv));
	kbuf_u32(b, s->count);
	kbuf_u32(b, s->policy);
	kbuf_u32(b, s->priority);
	kbuf_i32(b, s->nice);
	kbuf_strs(b, s->affinity, strv_len(s->affinity));
	kbuf_u32(b, s->mempolicy);
	kbuf_str(b, s->mem_nodes);
	kbuf_u32(b, s->mpol_flags);
}

void kw_spec_free(struct kw_group_spec *s)
{
	free(s->cgroup);
	kbr_free_strs(s->custom_argv);
	kbr_free_strs(s->affinity);
	free(s->mem_nodes);
	memset(s, 0, sizeof(*s));
}

/* An empty list is stored as NULL ("inherit" / "not custom"). */
static char **strs_or_null(struct kbuf_reader *r)
{
	uint32_t n = 0;
	char **v = kbr_strs(r, &n);
	if (v && n == 0) {
		kbr_free_strs(v);
		return NULL;
	}
	return v;
}

int kw_spec_decode(struct kbuf_reader *r, struct kw_group_spec *out, const char **err)
{
	memset(out, 0, sizeof(*out));
	out->group_id = kbr_u32(r);
	out->cgroup = kbr_str(r);
	out->type = kbr_u32(r);
	out->nparams = kbr_u32(r);
	if (!r->err && out->nparams > KW_MAX_PARAMS) {
		*err = "worker spec: more than 4 work parameters";
		goto fail;
	}
	for (uint32_t i = 0; i < out->nparams; i++)
		out->params[i] = kbr_u64(r);
	out->nphases = kbr_u32(r);
	if (!r->err && out->nphases > KW_MAX_PHASES) {
		*err = "worker spec: more than 32 Sequence phases";
		goto fail;
	}
	for (uint32_t i = 0; i < out->nphases && !r->err; i++) {
		out->phases[i].kind = kbr_u32(r);
		out->phases[i].duration_ns = kbr_u64(r);
	}
	out->custom_argv = strs_or_null(r);
	out->count = kbr_u32(r);
	out->policy = kbr_u32(r);
	out->priority = kbr_u32(r);
	out->nice = kbr_i32(r);
	out->affinity = strs_or_null(r);
	out->mempolicy = kbr_u32(r);
	out->mem_nodes = kbr_str(r);
	out->mpol_flags = kbr_u32(r);
	if (r->err) {
		*err = "worker spec: truncated encoding";
		goto fail;
	}
	return 0;
fail:
	kw_spec_free(out);
	return -1;
}

static char **strv_dup(char *const *v)
{
	if (!v)
		return NULL;
	uint32_t n = strv_len(v);
	char **c = calloc((size_t)n + 1, sizeof(char *));
	if (!c)
		return NULL;
	for (uint32_t i = 0; i < n; i++) {
		c[i] = strdup(v[i]);
		if (!c[i]) {
			kbr_free_strs(c);
			return NULL;
		}
	}
	return c;
}

int kw_spec_copy(struct kw_group_spec *out, const struct kw_group_spec *in)
{
	*out = *in;
	out->cgroup = strdup(in->cgroup ? in->cgroup : "");
	out->mem_nodes = strdup(in->mem_nodes ? in->mem_nodes : "");
	out->custom_argv = strv_dup(in->custom_argv);
	out->affinity = strv_dup(in->affinity);
	if (!out->cgroup || !out->mem_nodes || (in->custom_argv && !out->custom_argv) ||
	    (in->affinity && !out->affinity)) {
		kw_spec_free(out);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

/* ---- validation --------------------------------------------------------------------------------- */

static __thread char check_msg[256];

__attribute__((format(printf, 1, 2))) static const char *bad(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(check_msg, sizeof(check_msg), fmt, ap);
	va_end(ap);
	return check_msg;
}

#define MPOL_FLAGS_KNOWN ((1U << 15) | (1U << 14) | (1U << 13))

static const char *check_mempolicy(const struct kw_group_spec *s)
{
	uint64_t nodes[KW_LIST_WORDS];
	const char *list = s->mem_nodes ? s->mem_nodes : "";
	if (kw_list_parse(list, nodes))
		return bad("worker group %u: bad memory node list \"%s\"", s->group_id, list);
	int empty = kw_list_empty(nodes);
	switch (s->mempolicy) {
	case KW_MPOL_DEFAULT:
	case KW_MPOL_LOCAL:
		if (!empty)
			return bad("worker group %u: memory policy %u takes no nodes, got \"%s\"", s->group_id,
				   s->mempolicy, list);
		break;
	case KW_MPOL_PREFERRED:
	case KW_MPOL_BIND:
	case KW_MPOL_INTERLEAVE:
	case KW_MPOL_PREFERRED_MANY:
	case KW_MPOL_WEIGHTED_INTERLEAVE:
		if (empty)
			return bad("worker group %u: memory policy %u needs a node list", s->group_id,
				   s->mempolicy);
		break;
	default:
		return bad("worker group %u: unknown memory policy %u", s->group_id, s->mempolicy);
	}
	if (s->mpol_flags & ~MPOL_FLAGS_KNOWN)
		return bad("worker group %u: unknown memory policy flags 0x%x", s->group_id, s->mpol_flags);
	if (s->mpol_flags && (s->mempolicy == KW_MPOL_DEFAULT || s->mempolicy == KW_MPOL_LOCAL))
		return bad("worker group %u: memory policy flags need a node-based policy", s->group_id);
	return NULL;
}

static const char *check_policy(const struct kw_group_spec *s)
{
	switch (s->policy) {
	case KW_POLICY_FIFO:
	case KW_POLICY_RR:
		if (s->priority < 1 || s->priority > 99)
			return bad("worker group %u: FIFO/RR priority must be 1..99, got %u", s->group_id,
				   s->priority);
		break;
	case KW_POLICY_NORMAL:
	case KW_POLICY_BATCH:
	case KW_POLICY_IDLE:
		if (s->priority != 0)
			return bad("worker group %u: priority %u needs FIFO or RR", s->group_id, s->priority);
		break;
	default:
		return bad("worker group %u: unknown scheduling policy %u", s->group_id, s->policy);
	}
	if (s->nice < -20 || s->nice > 19)
		return bad("worker group %u: nice must be -20..19, got %d", s->group_id, s->nice);
	return NULL;
}

static const char *check_sequence(const struct kw_group_spec *s)
{
	if (s->type != KW_SEQUENCE) {
		if (s->nphases)
			return bad("worker group %u: %s takes no phases", s->group_id, kw_type_name(s->type));
		return NULL;
	}
	if (s->nphases == 0)
		return bad("worker group %u: Sequence needs at least one phase", s->group_id);
	for (uint32_t i = 0; i < s->nphases; i++) {
		if (s->phases[i].kind < KW_PH_SPIN || s->phases[i].kind > KW_PH_IO)
			return bad("worker group %u: Sequence phase %u has unknown kind %u", s->group_id, i,
				   s->phases[i].kind);
		if (s->phases[i].duration_ns == 0 || s->phases[i].duration_ns > KW_MAX_MS * 1000000ULL)
			return bad("worker group %u: Sequence phase %u duration must be 1 ns..1 h", s->group_id, i);
	}
	return NULL;
}

const char *kw_spec_check(const struct kw_group_spec *s)
{
	if (!type_known(s->type))
		return bad("worker group %u: unknown work type %u", s->group_id, s->type);
	const struct kw_type_info *t = &types[s->type];
	if (s->count == 0 || s->count > KW_MAX_WORKERS)
		return bad("worker group %u: worker count must be 1..%u, got %u", s->group_id, KW_MAX_WORKERS,
			   s->count);
	if (s->nparams > t->nparams)
		return bad("worker group %u: %s takes %u parameters, got %u", s->group_id, t->name, t->nparams,
			   s->nparams);
	for (uint32_t i = 0; i < s->nparams; i++)
		if (s->params[i] > t->max[i])
			return bad("worker group %u: %s parameter %u is %llu, above the limit %llu", s->group_id,
				   t->name, i, (unsigned long long)s->params[i], (unsigned long long)t->max[i]);
	if (s->type == KW_MUTEX_CONTENTION && kw_param(s, 0) < 1)
		return bad("worker group %u: MutexContention needs at least one contender", s->group_id);
	uint32_t gs = kw_group_size(s);
	if (s->count % gs)
		return bad("worker group %u: %s needs a worker count divisible by %u, got %u", s->group_id,
			   t->name, gs, s->count);
	const char *m = check_sequence(s);
	if (m)
		return m;
	if (s->type == KW_CUSTOM) {
		if (!s->custom_argv || !s->custom_argv[0] || !s->custom_argv[0][0])
			return bad("worker group %u: Custom needs a program (custom_argv is empty)", s->group_id);
	} else if (s->custom_argv) {
		return bad("worker group %u: %s takes no custom_argv", s->group_id, t->name);
	}
	if ((m = check_policy(s)))
		return m;
	if (s->affinity) {
		uint32_t n = strv_len(s->affinity);
		if (n != s->count)
			return bad("worker group %u: affinity needs one entry per worker (%u), got %u", s->group_id,
				   s->count, n);
		for (uint32_t i = 0; i < n; i++) {
			uint64_t bits[KW_LIST_WORDS];
			if (kw_list_parse(s->affinity[i], bits))
				return bad("worker group %u: worker %u has a bad CPU list \"%s\"", s->group_id, i,
					   s->affinity[i]);
		}
	}
	return check_mempolicy(s);
}

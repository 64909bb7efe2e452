// SPDX-License-Identifier: Apache-2.0
/* The agent side of the W_* requests: keeps the live worker groups, places their processes in
 * cgroups between spawn and start, and ships their reports. The work itself is in ../work/. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "ktstr_work.h"
#include "log.h"

static struct kw_group *find_group(struct agent *a, uint32_t gid, size_t *index)
{
	for (size_t i = 0; i < a->ngroups; i++) {
		if (kw_group_id(a->groups[i]) == gid) {
			if (index)
				*index = i;
			return a->groups[i];
		}
	}
	return NULL;
}

void handle_w_spawn(struct agent *a, uint32_t id, struct kbuf_reader *r)
{
	struct kw_group_spec spec;
	const char *derr = NULL;
	memset(&spec, 0, sizeof(spec));
	if (kw_spec_decode(r, &spec, &derr) != 0) {
		reply_err(a, id, EINVAL, "malformed worker group: %s", derr ? derr : "decode failed");
		return;
	}
	const char *bad = kw_spec_check(&spec);
	if (bad) {
		reply_err(a, id, EINVAL, "worker group %u: %s", spec.group_id, bad);
		kw_spec_free(&spec);
		return;
	}
	if (find_group(a, spec.group_id, NULL)) {
		reply_err(a, id, EEXIST, "worker group %u already exists", spec.group_id);
		kw_spec_free(&spec);
		return;
	}
	char cgabs[600];
	if (cg_path(a, spec.cgroup ? spec.cgroup : "", cgabs, sizeof(cgabs))) {
		reply_err(a, id, EINVAL, "bad cgroup path '%s'", spec.cgroup);
		kw_spec_free(&spec);
		return;
	}
	struct kw_group **grown = realloc(a->groups, (a->ngroups + 1) * sizeof(*grown));
	if (!grown) {
		reply_err(a, id, ENOMEM, "out of memory");
		kw_spec_free(&spec);
		return;
	}
	a->groups = grown;
	char *serr = NULL;
	struct kw_group *g = kw_group_spawn(&spec, &serr);
	if (!g) {
		reply_err(a, id, EAGAIN, "spawning worker group %u: %s", spec.group_id, serr ? serr : "failed");
		free(serr);
		kw_spec_free(&spec);
		return;
	}
	/* Workers must be in their cgroup before they start: they are still blocked on the gate. An
	 * empty cgroup means "where the agent is" (spawn in the parent). */
	uint32_t n = kw_group_count(g);
	if (spec.cgroup && spec.cgroup[0]) {
		for (uint32_t i = 0; i < n; i++) {
			char err[512];
			if (cg_move_pid(a, spec.cgroup, kw_group_pid(g, i), err, sizeof(err)) != 0) {
				reply_err(a, id, EIO, "worker group %u: %s", spec.group_id, err);
				kw_group_free(g);
				kw_spec_free(&spec);
				return;
			}
		}
	}
	a->groups[a->ngroups++] = g;
	kbuf_reset(&a->out);
	kbuf_u32(&a->out, n);
	for (uint32_t i = 0; i < n; i++)
		kbuf_i32(&a->out, kw_group_pid(g, i));
	reply_ok(a, id, &a->out);
	kw_spec_free(&spec);
}

/* Reads `u32 n, n × u32 group_id` and resolves each; replies with an error and returns -1 on an
 * unknown id. */
static int read_groups(struct agent *a, uint32_t id, struct kbuf_reader *r, struct kw_group ***out, uint32_t *n)
{
	uint32_t cnt = kbr_u32(r);
	if (r->err || cnt > r->len) {
		reply_err(a, id, EINVAL, "malformed group list");
		return -1;
	}
	struct kw_group **v = calloc(cnt ? cnt : 1, sizeof(*v));
	if (!v) {
		reply_err(a, id, ENOMEM, "out of memory");
		return -1;
	}
	for (uint32_t i = 0; i < cnt; i++) {
		uint32_t gid = kbr_u32(r);
		v[i] = find_group(a, gid, NULL);
		if (r->err || !v[i]) {
			reply_err(a, id, ENOENT, "no worker group %u", gid);
			free(v);
			return -1;
		}
	}
	*out = v;
	*n = cnt;
	return 0;
}

void handle_w_start(struct agent *a, uint32_t id, struct kbuf_reader *r)
{
	struct kw_group **gs;
	uint32_t n;
	if (read_groups(a, id, r, &gs, &n))
		return;
	for (uint32_t i = 0; i < n; i++) {
		if (kw_group_start(gs[i]) != 0) {
			reply_err(a, id, errno ? errno : EIO, "starting worker group %u failed", kw_group_id(gs[i]));
			free(gs);
			return;
		}
	}
	free(gs);
	kbuf_reset(&a->out);
	reply_ok(a, id, &a->out);
}

static void drop_group(struct agent *a, struct kw_group *g)
{
	size_t idx;
	if (find_group(a, kw_group_id(g), &idx))
		a->groups[idx] = a->groups[--a->ngroups];
	kw_group_free(g);
}

void handle_w_stop(struct agent *a, uint32_t id, struct kbuf_reader *r)
{
	struct kw_group **gs;
	uint32_t n;
	if (read_groups(a, id, r, &gs, &n))
		return;
	uint32_t deadline_ms = kbr_u32(r);
	if (r->err) {
		free(gs);
		reply_err(a, id, EINVAL, "malformed W_STOP");
		return;
	}
	uint64_t deadline = now_ns() + (uint64_t)(deadline_ms ? deadline_ms : 5000) * 1000000ull;
	uint32_t total = 0;
	for (uint32_t i = 0; i < n; i++)
		total += kw_group_count(gs[i]);
	struct kw_report *reports = calloc(total ? total : 1, sizeof(*reports));
	if (!reports) {
		free(gs);
		reply_err(a, id, ENOMEM, "out of memory for %u reports", total);
		return;
	}
	/* Signal every group first so they all stop at the same moment, then collect. */
	for (uint32_t i = 0; i < n; i++)
		kw_group_request_stop(gs[i]);
	uint32_t off = 0;
	for (uint32_t i = 0; i < n; i++) {
		kw_group_stop(gs[i], deadline, reports + off);
		off += kw_group_count(gs[i]);
	}
	kbuf_reset(&a->out);
	kbuf_u32(&a->out, total);
	for (uint32_t i = 0; i < total; i++)
		kw_report_encode(&a->out, &reports[i]);
	free(reports);
	for (uint32_t i = 0; i < n; i++)
		drop_group(a, gs[i]);
	free(gs);
	reply_ok(a, id, &a->out);
}

void handle_w_affinity(struct agent *a, uint32_t id, struct kbuf_reader *r)
{
	uint32_t gid = kbr_u32(r);
	uint32_t ncpus;
	char **cpus = kbr_strs(r, &ncpus);
	struct kw_group *g = r->err ? NULL : find_group(a, gid, NULL);
	if (r->err || !cpus) {
		reply_err(a, id, EINVAL, "malformed W_AFFINITY");
	} else if (!g) {
		reply_err(a, id, ENOENT, "no worker group %u", gid);
	} else if (ncpus != kw_group_count(g)) {
		reply_err(a, id, EINVAL, "group %u has %u workers, got %u CPU lists", gid, kw_group_count(g), ncpus);
	} else {
		char *err = NULL;
		if (kw_group_set_affinity(g, cpus, ncpus, &err) != 0) {
			reply_err(a, id, EINVAL, "group %u: %s", gid, err ? err : "sched_setaffinity failed");
		} else {
			kbuf_reset(&a->out);
			reply_ok(a, id, &a->out);
		}
		free(err);
	}
	kbr_free_strs(cpus);
}

void handle_w_iters(struct agent *a, uint32_t id, struct kbuf_reader *r)
{
	struct kw_group **gs;
	uint32_t n;
	if (read_groups(a, id, r, &gs, &n))
		return;
	uint32_t total = 0;
	for (uint32_t i = 0; i < n; i++)
		total += kw_group_count(gs[i]);
	uint64_t *v = calloc(total ? total : 1, sizeof(*v));
	if (!v) {
		free(gs);
		reply_err(a, id, ENOMEM, "out of memory");
		return;
	}
	uint32_t off = 0;
	for (uint32_t i = 0; i < n; i++) {
		kw_group_iterations(gs[i], v + off);
		off += kw_group_count(gs[i]);
	}
	kbuf_reset(&a->out);
	kbuf_u32(&a->out, total);
	for (uint32_t i = 0; i < total; i++)
		kbuf_u64(&a->out, v[i]);
	free(v);
	free(gs);
	reply_ok(a, id, &a->out);
}

void handle_w_move(struct agent *a, uint32_t id, struct kbuf_reader *r)
{
	uint32_t gid = kbr_u32(r);
	char *cg = kbr_str(r);
	struct kw_group *g = r->err ? NULL : find_group(a, gid, NULL);
	if (r->err) {
		reply_err(a, id, EINVAL, "malformed W_MOVE");
	} else if (!g) {
		reply_err(a, id, ENOENT, "no worker group %u", gid);
	} else {
		for (uint32_t i = 0; i < kw_group_count(g); i++) {
			char err[512];
			if (cg_move_pid(a, cg, kw_group_pid(g, i), err, sizeof(err)) != 0) {
				reply_err(a, id, EIO, "group %u: %s", gid, err);
				free(cg);
				return;
			}
		}
		kbuf_reset(&a->out);
		reply_ok(a, id, &a->out);
	}
	free(cg);
}

void workers_cleanup(struct agent *a)
{
	for (size_t i = 0; i < a->ngroups; i++)
		kw_group_free(a->groups[i]);
	free(a->groups);
	a->groups = NULL;
	a->ngroups = 0;
}

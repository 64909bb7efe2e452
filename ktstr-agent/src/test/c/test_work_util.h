/* SPDX-License-Identifier: Apache-2.0 */
/* Shared helpers of the worker module's C tests (test_work*.c): checks, spec building, group runs. */
#ifndef KTSTR_TEST_WORK_UTIL_H
#define KTSTR_TEST_WORK_UTIL_H

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ktstr_work.h"
#include "work/work_internal.h"

static int tw_failures;
static const char *tw_current = "";

#define CHECK(cond, ...)                                                                      \
	do {                                                                                  \
		if (!(cond)) {                                                                \
			tw_failures++;                                                        \
			fprintf(stderr, "FAIL %s (%s:%d): %s: ", tw_current, __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                                         \
			fputc('\n', stderr);                                                  \
		}                                                                             \
	} while (0)

#define RUN(fn)                                                                               \
	do {                                                                                  \
		tw_current = #fn;                                                             \
		int before_ = tw_failures;                                                    \
		uint64_t t0_ = kw_now_ns();                                                   \
		fn();                                                                         \
		fprintf(stderr, "%s %s (%.2f s)\n", tw_failures == before_ ? "ok  " : "FAIL", #fn, \
			(double)(kw_now_ns() - t0_) / 1e9);                                   \
	} while (0)

static inline void tw_sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* A spec of `count` workers of `type` with params p[0..n); everything else default. */
static inline struct kw_group_spec tw_spec(uint32_t id, uint32_t type, uint32_t count, uint32_t nparams,
					   const uint64_t *params)
{
	struct kw_group_spec s;
	memset(&s, 0, sizeof(s));
	s.group_id = id;
	s.cgroup = (char *)"";
	s.type = type;
	s.count = count;
	s.mem_nodes = (char *)"";
	s.nparams = nparams;
	for (uint32_t i = 0; i < nparams; i++)
		s.params[i] = params[i];
	return s;
}

/* Waits (up to 5 s: the host may be busy) until every worker of the group has finished an
 * iteration, so that a timed window starting now lies inside every worker's loop. Returns 1 when
 * all did. */
static inline int tw_wait_started(const struct kw_group *g)
{
	uint32_t n = kw_group_count(g);
	uint64_t *it = calloc(n, sizeof(*it));
	int all = 0;
	for (int round = 0; it && round < 500 && !all; round++) {
		if (round)
			tw_sleep_ms(10);
		kw_group_iterations(g, it);
		all = 1;
		for (uint32_t i = 0; i < n; i++)
			all &= it[i] > 0;
	}
	free(it);
	return all;
}

/* Waits (up to 5 s) until every worker of a Custom group has exited by itself (a zombie not yet
 * reaped: the group still measures it). Returns 1 when all did. */
static inline int tw_wait_exited(const struct kw_group *g)
{
	for (int round = 0; round < 500; round++) {
		int all = 1;
		for (uint32_t i = 0; i < kw_group_count(g); i++) {
			siginfo_t si;
			memset(&si, 0, sizeof(si));
			pid_t pid = kw_group_pid(g, i);
			if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) != 0 || si.si_pid != pid)
				all = 0;
		}
		if (all)
			return 1;
		tw_sleep_ms(10);
	}
	return 0;
}

/* How tw_run times its window. */
enum tw_window {
	TW_AFTER_START,   /* ms after every worker finished its first iteration (framework types) */
	TW_FIXED,         /* ms after the start gate opened (Custom programs that run until stopped) */
	TW_UNTIL_EXITED,  /* until every Custom program exited by itself (ms is unused) */
};

/* Spawns, starts, lets it run (see enum tw_window), stops with a 5 s deadline, frees. Returns
 * malloc'd reports or NULL (with a failed check) when the spawn fails. */
static inline struct kw_report *tw_run_window(const struct kw_group_spec *s, unsigned ms, enum tw_window how)
{
	char *err = NULL;
	struct kw_group *g = kw_group_spawn(s, &err);
	CHECK(g != NULL, "spawn of %s failed: %s", kw_type_name(s->type), err ? err : "?");
	if (!g) {
		free(err);
		return NULL;
	}
	struct kw_report *r = calloc(s->count, sizeof(*r));
	CHECK(kw_group_start(g) == 0, "start: %s", strerror(errno));
	if (how == TW_AFTER_START)
		CHECK(tw_wait_started(g), "every %s worker iterates within 5 s", kw_type_name(s->type));
	if (how == TW_UNTIL_EXITED)
		CHECK(tw_wait_exited(g), "every %s program exits within 5 s", kw_type_name(s->type));
	else
		tw_sleep_ms(ms);
	CHECK(kw_group_stop(g, kw_now_ns() + 5000000000ULL, r) == 0, "stop");
	kw_group_free(g);
	return r;
}

/* tw_run_window with the window that suits the type: after every worker started, or fixed for Custom. */
static inline struct kw_report *tw_run(const struct kw_group_spec *s, unsigned ms)
{
	return tw_run_window(s, ms, s->type == KW_CUSTOM ? TW_FIXED : TW_AFTER_START);
}

/* A zeroed page shared with forked children (4096 bytes; munmap it). */
static inline uint64_t *mmap_shared_u64(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	return p;
}

/* Children of this process still around (zombies included). */
static inline int tw_count_children(void)
{
	DIR *d = opendir("/proc");
	int n = 0;
	struct dirent *e;
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char path[300], buf[512];
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		size_t len = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[len] = 0;
		char *p = strrchr(buf, ')');
		int ppid;
		if (p && sscanf(p + 1, " %*c %d", &ppid) == 1 && ppid == getpid())
			n++;
	}
	closedir(d);
	return n;
}

static inline int tw_finish(const char *name)
{
	if (tw_failures)
		fprintf(stderr, "%s: %d check(s) failed\n", name, tw_failures);
	else
		fprintf(stderr, "%s: all checks passed\n", name);
	return tw_failures ? 1 : 0;
}

#endif

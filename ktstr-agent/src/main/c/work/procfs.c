// SPDX-License-Identifier: Apache-2.0
/*
 * Readers of /proc files behind the worker measurements (ktstr facts §4.4): schedstat, stat,
 * status, numa_maps of a process and numa_pages_migrated of /proc/vmstat. Plain open/read: they
 * also run in forked workers and on zombies (before reaping).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "work_internal.h"

static void proc_path(char *buf, size_t cap, pid_t pid, const char *file)
{
	if (pid)
		snprintf(buf, cap, "/proc/%d/%s", (int)pid, file);
	else
		snprintf(buf, cap, "/proc/self/%s", file);
}

/* Reads up to cap-1 bytes and NUL-terminates; returns the length or -1. */
static ssize_t read_small(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t len = 0;
	while (len + 1 < cap) {
		ssize_t n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			close(fd);
			errno = e;
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = 0;
	return (ssize_t)len;
}

/* Calls fn for every line of a file of any length. Returns 0, or -1 when unreadable. */
static int for_each_line(const char *path, void (*fn)(char *line, void *arg), void *arg)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	char buf[8192];
	size_t have = 0;
	for (;;) {
		ssize_t n = read(fd, buf + have, sizeof(buf) - 1 - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			close(fd);
			errno = e;
			return -1;
		}
		have += (size_t)n;
		buf[have] = 0;
		char *start = buf, *nl;
		while ((nl = strchr(start, '\n'))) {
			*nl = 0;
			fn(start, arg);
			start = nl + 1;
		}
		size_t rest = have - (size_t)(start - buf);
		if (n == 0 || rest == sizeof(buf) - 1) {
			/* end of file, or a line longer than the buffer: hand over what there is */
			if (rest)
				fn(start, arg);
			rest = 0;
			if (n == 0)
				break;
		}
		memmove(buf, start, rest);
		have = rest;
	}
	close(fd);
	return 0;
}

static uint64_t field_after(const char *text, const char *key)
{
	const char *p = strstr(text, key);
	return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

unsigned kw_proc_sample(pid_t pid, struct kw_proc_sample *out)
{
	char path[64], buf[4096];
	memset(out, 0, sizeof(*out));

	proc_path(path, sizeof(path), pid, "schedstat");
	if (read_small(path, buf, sizeof(buf)) > 0) {
		unsigned long long a, b, c;
		if (sscanf(buf, "%llu %llu %llu", &a, &b, &c) == 3) {
			out->schedstat[0] = a;
			out->schedstat[1] = b;
			out->schedstat[2] = c;
			out->have |= KW_PROC_SCHEDSTAT;
		}
	}

	proc_path(path, sizeof(path), pid, "stat");
	if (read_small(path, buf, sizeof(buf)) > 0) {
		/* comm may hold spaces and parentheses: fields resume after the last ')' (field 3 on). */
		char *p = strrchr(buf, ')');
		unsigned long long minflt, utime, stime;
		if (p && sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %llu %*u %*u %*u %llu %llu", &minflt, &utime,
				&stime) == 3) {
			long hz = sysconf(_SC_CLK_TCK);
			if (hz <= 0)
				hz = 100;
			out->minflt = minflt;
			out->cpu_ns = (utime + stime) * (1000000000ULL / (uint64_t)hz);
			out->have |= KW_PROC_STAT;
		}
	}

	proc_path(path, sizeof(path), pid, "status");
	if (read_small(path, buf, sizeof(buf)) > 0 && strstr(buf, "voluntary_ctxt_switches:")) {
		out->vol = field_after(buf, "\nvoluntary_ctxt_switches:");
		out->invol = field_after(buf, "nonvoluntary_ctxt_switches:");
		out->have |= KW_PROC_STATUS;
	}
	return out->have;
}

struct numa_acc {
	uint64_t *pages;
	uint32_t nnodes;
};

static void numa_line(char *line, void *arg)
{
	struct numa_acc *acc = arg;
	/* "7f12... default anon=3 dirty=3 N0=3 kernelpagesize_kB=4" */
	for (char *p = strstr(line, " N"); p; p = strstr(p + 1, " N")) {
		char *end;
		unsigned long node = strtoul(p + 2, &end, 10);
		if (end == p + 2 || *end != '=' || node >= KW_MAX_NODES)
			continue;
		acc->pages[node] += strtoull(end + 1, NULL, 10);
		if (node + 1 > acc->nnodes)
			acc->nnodes = (uint32_t)node + 1;
	}
}

int kw_proc_numa_pages(pid_t pid, uint64_t pages[KW_MAX_NODES], uint32_t *nnodes)
{
	char path[64];
	struct numa_acc acc = { pages, 0 };
	memset(pages, 0, KW_MAX_NODES * sizeof(uint64_t));
	proc_path(path, sizeof(path), pid, "numa_maps");
	int rc = for_each_line(path, numa_line, &acc);
	*nnodes = acc.nnodes;
	return rc;
}

struct vmstat_acc {
	uint64_t value;
	int found;
};

static void vmstat_line(char *line, void *arg)
{
	struct vmstat_acc *acc = arg;
	static const char key[] = "numa_pages_migrated ";
	if (!strncmp(line, key, sizeof(key) - 1)) {
		acc->value = strtoull(line + sizeof(key) - 1, NULL, 10);
		acc->found = 1;
	}
}

int kw_proc_vmstat_migrated(uint64_t *out)
{
	struct vmstat_acc acc = { 0, 0 };
	*out = 0;
	if (for_each_line("/proc/vmstat", vmstat_line, &acc) || !acc.found)
		return -1;
	*out = acc.value;
	return 0;
}

// SPDX-License-Identifier: Apache-2.0
/*
 * Work types that run alone (ktstr facts §7.2): CpuSpin, YieldHeavy, Mixed, IoSync, Bursty,
 * CachePressure, CacheYield and Sequence.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "work_internal.h"

void kw_loop_cpu_spin(struct kw_worker *w)
{
	while (!kw_should_stop(w)) {
		kw_spin(w, 1024);
		kw_iter_done(w);
	}
}

void kw_loop_yield_heavy(struct kw_worker *w)
{
	while (!kw_should_stop(w)) {
		w->work_units++;
		sched_yield();
		kw_iter_done(w);
	}
}

void kw_loop_mixed(struct kw_worker *w)
{
	while (!kw_should_stop(w)) {
		kw_spin(w, 1024);
		sched_yield();
		kw_iter_done(w);
	}
}

/* ---- IoSync ------------------------------------------------------------------------------------ */

#define IO_BLOCK 4096
#define IO_BLOCKS 16

/* The temporary file ktstr_io_<pid> in $TMPDIR (or /tmp), unlinked at once so that nothing is left
 * behind even when the worker is killed. Returns the fd or -1. */
static int io_open(void)
{
	const char *dir = getenv("TMPDIR");
	char path[512];
	snprintf(path, sizeof(path), "%s/ktstr_io_%d", dir && *dir ? dir : "/tmp", (int)getpid());
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		fprintf(stderr, "ktstr worker %d: IoSync cannot create %s: %s\n", (int)getpid(), path,
			strerror(errno));
		return -1;
	}
	if (unlink(path))
		fprintf(stderr, "ktstr worker %d: IoSync cannot unlink %s: %s\n", (int)getpid(), path,
			strerror(errno));
	return fd;
}

/* Truncates and writes 64 KiB (16 work units). Returns 0, or -1 when the file cannot be written. */
static int io_write_round(struct kw_worker *w, int fd)
{
	static const uint8_t block[IO_BLOCK];
	if (ftruncate(fd, 0)) {
		fprintf(stderr, "ktstr worker %d: IoSync ftruncate: %s\n", (int)getpid(), strerror(errno));
		return -1;
	}
	for (int i = 0; i < IO_BLOCKS; i++) {
		ssize_t n = pwrite(fd, block, IO_BLOCK, (off_t)i * IO_BLOCK);
		if (n < 0 && errno == EINTR) {
			i--;
			continue;
		}
		if (n != IO_BLOCK) {
			fprintf(stderr, "ktstr worker %d: IoSync write: %s\n", (int)getpid(),
				n < 0 ? strerror(errno) : "short write");
			return -1;
		}
		w->work_units++;
	}
	return 0;
}

void kw_loop_io_sync(struct kw_worker *w)
{
	int fd = io_open();
	if (fd < 0)
		return;
	while (!kw_should_stop(w)) {
		if (io_write_round(w, fd))
			break;
		uint64_t t0 = kw_now_ns();
		kw_sleep_ns(100000);
		kw_after_block(w, t0);
		kw_iter_done(w);
	}
	close(fd);
}

/* ---- Bursty ------------------------------------------------------------------------------------ */

void kw_loop_bursty(struct kw_worker *w)
{
	uint64_t burst_ns = kw_param(w->spec, 0) * 1000000ULL;
	uint64_t sleep_ns = kw_param(w->spec, 1) * 1000000ULL;
	while (!kw_should_stop(w)) {
		uint64_t end = kw_now_ns() + burst_ns;
		/* every spin_burst(1024) is a checkpoint: work_units stays a multiple of 1024 */
		while (kw_now_ns() < end && !kw_stop_flag) {
			kw_spin(w, 1024);
			kw_checkpoint(w);
		}
		if (!kw_stop_flag) {
			uint64_t t0 = kw_now_ns();
			kw_sleep_ns(sleep_ns);
			kw_after_block(w, t0);
		}
		kw_iter_done(w);
	}
}

/* ---- cache pressure ----------------------------------------------------------------------------- */

struct rmw_buf {
	volatile uint8_t *p;
	size_t size;
	size_t pos;
};

static int rmw_alloc(struct rmw_buf *b, uint64_t size_kb)
{
	b->size = (size_t)size_kb * 1024;
	b->pos = 0;
	void *p = mmap(NULL, b->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "ktstr worker %d: cannot map a %llu KiB buffer: %s\n", (int)getpid(),
			(unsigned long long)size_kb, strerror(errno));
		return -1;
	}
	b->p = p;
	return 0;
}

static void rmw_free(struct rmw_buf *b)
{
	if (munmap((void *)b->p, b->size))
		fprintf(stderr, "ktstr worker %d: munmap: %s\n", (int)getpid(), strerror(errno));
}

/* `steps` volatile read-modify-writes, `stride` bytes apart, wrapping inside the buffer. */
static void rmw_steps(struct kw_worker *w, struct rmw_buf *b, uint64_t stride, uint64_t steps)
{
	size_t pos = b->pos;
	for (uint64_t i = 0; i < steps; i++) {
		b->p[pos] = (uint8_t)(b->p[pos] + 1);
		pos += stride;
		if (pos >= b->size)
			pos %= b->size;
	}
	b->pos = pos;
	w->work_units += steps;
}

static void rmw_loop(struct kw_worker *w, int yield)
{
	struct rmw_buf b;
	uint64_t stride = kw_param(w->spec, 1);
	if (rmw_alloc(&b, kw_param(w->spec, 0)))
		return;
	while (!kw_should_stop(w)) {
		rmw_steps(w, &b, stride, 1024);
		if (yield) {
			uint64_t t0 = kw_now_ns();
			sched_yield();
			kw_sample(w, t0);
		}
		kw_iter_done(w);
	}
	kw_meas_numa(w);
	rmw_free(&b);
}

void kw_loop_cache_pressure(struct kw_worker *w)
{
	rmw_loop(w, 0);
}

void kw_loop_cache_yield(struct kw_worker *w)
{
	rmw_loop(w, 1);
}

/* CachePipe's working set: 64-byte stride, burst_iters steps per exchange (types_sync.c). */
int kw_cache_pipe_rmw(struct kw_worker *w, void **state, uint64_t steps)
{
	struct rmw_buf *b = *state;
	if (!b) {
		b = calloc(1, sizeof(*b));
		if (!b || rmw_alloc(b, kw_param(w->spec, 0))) {
			free(b);
			return -1;
		}
		*state = b;
	}
	rmw_steps(w, b, 64, steps);
	return 0;
}

void kw_cache_pipe_free(struct kw_worker *w, void *state)
{
	kw_meas_numa(w);
	if (state) {
		rmw_free(state);
		free(state);
	}
}

/* ---- Sequence ---------------------------------------------------------------------------------- */

/* Checkpoint periods per phase kind: every spin_burst(1024) and every sleep; every 1024th yield
 * (1 work unit each); every 64th I/O round (16 work units each). */
static uint32_t phase_period(uint32_t kind)
{
	switch (kind) {
	case KW_PH_YIELD:
		return 1024;
	case KW_PH_IO:
		return 64;
	default:
		return 1;
	}
}

void kw_loop_sequence(struct kw_worker *w)
{
	const struct kw_group_spec *s = w->spec;
	int io_fd = -1;
	for (uint32_t i = 0; i < s->nphases; i++)
		if (s->phases[i].kind == KW_PH_IO && io_fd < 0 && (io_fd = io_open()) < 0)
			return;
	while (!kw_should_stop(w)) {
		for (uint32_t i = 0; i < s->nphases && !kw_should_stop(w); i++) {
			const struct kw_phase *ph = &s->phases[i];
			uint64_t end = kw_now_ns() + ph->duration_ns;
			w->period = phase_period(ph->kind);
			w->since_cp = 0;
			switch (ph->kind) {
			case KW_PH_SPIN:
				while (kw_now_ns() < end && !kw_should_stop(w)) {
					kw_spin(w, 1024);
					kw_iter_done(w);
				}
				break;
			case KW_PH_SLEEP: {
				uint64_t t0 = kw_now_ns();
				kw_sleep_ns(ph->duration_ns);
				kw_after_block(w, t0);
				/* a completed sleep is this phase's work (as a yield is the yield phase's):
				 * a Sequence of sleeps alone is not a worker that made no progress */
				if (!kw_stop_flag)
					w->work_units++;
				kw_iter_done(w);
				break;
			}
			case KW_PH_YIELD:
				while (kw_now_ns() < end && !kw_should_stop(w)) {
					uint64_t t0 = kw_now_ns();
					sched_yield();
					kw_sample(w, t0);
					w->work_units++;
					kw_iter_done(w);
				}
				break;
			case KW_PH_IO:
				while (kw_now_ns() < end && !kw_should_stop(w)) {
					if (io_write_round(w, io_fd))
						goto out;
					uint64_t t0 = kw_now_ns();
					kw_sleep_ns(100000);
					kw_after_block(w, t0);
					kw_iter_done(w);
				}
				break;
			}
		}
	}
out:
	if (io_fd >= 0)
		close(io_fd);
}

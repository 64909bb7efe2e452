// SPDX-License-Identifier: Apache-2.0
/*
 * Grouped work types (ktstr facts §7.2): workers of one subgroup talk through a pair of pipes
 * (PipeIo, CachePipe) or futex words in the subgroup's MAP_SHARED block (FutexPingPong,
 * FutexFanOut, FanOutCompute, MutexContention). Every wait is bounded (100 ms) so that a worker
 * whose partner died still notices the stop signal.
 */
#include <errno.h>
#include <linux/futex.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "work_internal.h"

#define WAIT_TIMEOUT_MS 100

static const struct timespec wait_timeout = { 0, WAIT_TIMEOUT_MS * 1000000L };

/* Shared (not FUTEX_PRIVATE) operations: the words live in a MAP_SHARED page of several processes.
 * Results are not checked: EAGAIN (value changed), ETIMEDOUT and EINTR all mean "look again". */
static void futex_wait(uint32_t *addr, uint32_t expected)
{
	(void)syscall(SYS_futex, addr, FUTEX_WAIT, expected, &wait_timeout, NULL, 0);
}

static void futex_wake(uint32_t *addr, int n)
{
	(void)syscall(SYS_futex, addr, FUTEX_WAKE, n, NULL, NULL, 0);
}

/* ---- pipes ----------------------------------------------------------------------------------- */

/*
 * One exchange: write a byte to the partner, then wait (poll, 100 ms) for its byte. The resume
 * latency is sampled when a byte arrives. Returns -1 once the partner is gone (EPIPE or EOF).
 */
static int pipe_exchange(struct kw_worker *w)
{
	char c = 1;
	if (write(w->pipe_wr, &c, 1) < 0 && errno == EPIPE)
		return -1; /* EAGAIN (partner far behind) and EINTR (stop) are not fatal */
	struct pollfd p = { .fd = w->pipe_rd, .events = POLLIN };
	uint64_t t0 = kw_now_ns();
	if (poll(&p, 1, WAIT_TIMEOUT_MS) > 0) {
		ssize_t n = read(w->pipe_rd, &c, 1);
		if (n == 1) {
			kw_after_block(w, t0);
			return 0;
		}
		if (n == 0)
			return -1;
	}
	w->ref_ns = kw_now_ns(); /* timed out or interrupted: blocked all the same */
	return 0;
}

/* The partner is gone (died, or stopped a moment earlier): a pair worker has nothing left to do,
 * but its run ends only with its own stop signal. */
static void idle_until_stop(void)
{
	while (!kw_stop_flag)
		kw_sleep_ns(WAIT_TIMEOUT_MS * 1000000ULL);
}

void kw_loop_pipe_io(struct kw_worker *w)
{
	uint64_t burst = kw_param(w->spec, 0);
	while (!kw_should_stop(w)) {
		kw_spin(w, burst);
		if (pipe_exchange(w)) {
			idle_until_stop();
			break;
		}
		kw_iter_done(w);
	}
}

void kw_loop_cache_pipe(struct kw_worker *w)
{
	uint64_t burst = kw_param(w->spec, 1);
	void *buf = NULL;
	while (!kw_should_stop(w)) {
		if (kw_cache_pipe_rmw(w, &buf, burst))
			break;
		if (pipe_exchange(w)) {
			idle_until_stop();
			break;
		}
		kw_iter_done(w);
	}
	kw_cache_pipe_free(w, buf);
}

/* ---- FutexPingPong ------------------------------------------------------------------------------ */

/*
 * One shared word holds whose turn it is (0 or 1, the rank in the pair). A worker spins, hands the
 * turn to its partner (store + FUTEX_WAKE), then waits until the turn comes back. After the first
 * exchange the two strictly alternate.
 */
void kw_loop_futex_ping_pong(struct kw_worker *w)
{
	uint32_t *turn = w->sub_shm;
	uint32_t mine = w->rank, other = 1 - w->rank;
	uint64_t spin = kw_param(w->spec, 0);
	while (!kw_should_stop(w)) {
		kw_spin(w, spin);
		__atomic_store_n(turn, other, __ATOMIC_RELEASE);
		futex_wake(turn, 1);
		uint64_t t0 = kw_now_ns();
		while (!kw_stop_flag) {
			if (__atomic_load_n(turn, __ATOMIC_ACQUIRE) == mine) {
				kw_after_block(w, t0);
				break;
			}
			futex_wait(turn, other);
		}
		kw_iter_done(w);
	}
}

/* ---- fan-out ----------------------------------------------------------------------------------- */

#define FAN_OUT_POST_WAKE_SPIN 256

/* The subgroup block of FutexFanOut / FanOutCompute: generation (the futex word), the messenger's
 * CLOCK_MONOTONIC stamp of the latest generation. */
struct fan_block {
	uint32_t gen;
	uint32_t pad;
	uint64_t stamp_ns;
};
_Static_assert(sizeof(struct fan_block) <= KW_SUB_SHM_BYTES, "fan-out block fits the subgroup block");

static void messenger_round(struct kw_worker *w, struct fan_block *b, int fan_out)
{
	__atomic_store_n(&b->stamp_ns, kw_now_ns(), __ATOMIC_RELAXED);
	__atomic_add_fetch(&b->gen, 1, __ATOMIC_RELEASE); /* publishes the stamp */
	futex_wake(&b->gen, fan_out);
	kw_spin(w, FAN_OUT_POST_WAKE_SPIN);
}

/* Waits for the generation to move past `seen`. Returns 1 when it did (the stamp is then the
 * messenger's time of the move), 0 when stopped. */
static int wait_generation(struct fan_block *b, uint32_t seen)
{
	while (!kw_stop_flag) {
		if (__atomic_load_n(&b->gen, __ATOMIC_ACQUIRE) != seen)
			return 1;
		futex_wait(&b->gen, seen);
	}
	return 0;
}

void kw_loop_futex_fan_out(struct kw_worker *w)
{
	struct fan_block *b = w->sub_shm;
	int fan_out = (int)kw_param(w->spec, 0);
	uint64_t spin = kw_param(w->spec, 1);
	while (!kw_should_stop(w)) {
		kw_spin(w, spin);
		if (w->rank == 0) {
			messenger_round(w, b, fan_out);
		} else {
			uint32_t seen = __atomic_load_n(&b->gen, __ATOMIC_ACQUIRE);
			uint64_t t0 = kw_now_ns();
			if (wait_generation(b, seen))
				kw_after_block(w, t0);
		}
		kw_iter_done(w);
	}
}

/* Naive n x n u64 matrix product c = a * b over one buffer [a | b | c]. */
static void matmul(uint64_t *m, size_t n)
{
	const uint64_t *a = m, *b = m + n * n;
	uint64_t *c = m + 2 * n * n;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			uint64_t acc = 0;
			for (size_t k = 0; k < n; k++)
				acc += a[i * n + k] * b[k * n + j];
			c[i * n + j] = acc;
		}
	__asm__ __volatile__("" : : "r"(c) : "memory");
}

void kw_loop_fan_out_compute(struct kw_worker *w)
{
	struct fan_block *b = w->sub_shm;
	int fan_out = (int)kw_param(w->spec, 0);
	if (w->rank == 0) {
		while (!kw_should_stop(w)) {
			messenger_round(w, b, fan_out);
			kw_iter_done(w);
		}
		return;
	}
	/* n = sqrt(footprint / 3 matrices / 8 bytes) */
	size_t n = (size_t)sqrt((double)kw_param(w->spec, 1) * 1024.0 / 3.0 / 8.0);
	uint64_t ops = kw_param(w->spec, 2);
	uint64_t sleep_ns = kw_param(w->spec, 3) * 1000ULL;
	uint64_t *m = NULL;
	if (n) {
		m = malloc(3 * n * n * sizeof(uint64_t));
		if (!m) {
			fprintf(stderr, "ktstr worker %d: FanOutCompute cannot allocate %zu x %zu matrices\n",
				(int)getpid(), n, n);
			return;
		}
		for (size_t i = 0; i < 3 * n * n; i++)
			m[i] = i * 2654435761u;
	}
	while (!kw_should_stop(w)) {
		uint32_t seen = __atomic_load_n(&b->gen, __ATOMIC_ACQUIRE);
		if (!wait_generation(b, seen))
			break;
		/* wake-to-run latency: now minus the messenger's stamp of this generation */
		uint64_t now = kw_now_ns(), stamp = __atomic_load_n(&b->stamp_ns, __ATOMIC_RELAXED);
		if (!kw_stop_flag)
			kw_hist_record(&w->rep->hist, now > stamp ? now - stamp : 0);
		w->ref_ns = now;
		if (sleep_ns && !kw_stop_flag) {
			kw_sleep_ns(sleep_ns);
			w->ref_ns = kw_now_ns();
		}
		for (uint64_t i = 0; i < ops && m && !kw_stop_flag; i++) {
			matmul(m, n);
			w->work_units++;
		}
		kw_iter_done(w);
	}
	kw_meas_numa(w);
	free(m);
}

/* ---- MutexContention --------------------------------------------------------------------------- */

/* A futex lock word: 0 free, 1 held. Returns 1 when acquired, 0 when stopped while waiting. */
static int lock_acquire(struct kw_worker *w, uint32_t *lock)
{
	uint32_t free_v = 0;
	if (__atomic_compare_exchange_n(lock, &free_v, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return 1;
	uint64_t t0 = kw_now_ns();
	while (!kw_stop_flag) {
		futex_wait(lock, 1);
		free_v = 0;
		if (__atomic_compare_exchange_n(lock, &free_v, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
			kw_after_block(w, t0);
			return 1;
		}
	}
	return 0;
}

void kw_loop_mutex_contention(struct kw_worker *w)
{
	uint32_t *lock = w->sub_shm;
	uint64_t hold = kw_param(w->spec, 1), work = kw_param(w->spec, 2);
	while (!kw_should_stop(w)) {
		kw_spin(w, work);
		if (lock_acquire(w, lock)) {
			kw_spin(w, hold);
			__atomic_store_n(lock, 0, __ATOMIC_RELEASE);
			futex_wake(lock, 1);
		}
		kw_iter_done(w);
	}
}

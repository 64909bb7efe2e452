// SPDX-License-Identifier: Apache-2.0
/*
 * Worker groups on the agent side (ktstr facts §4.4): fork with a ready handshake and a start
 * gate, iteration counters in shared memory, affinity changes, and teardown that leaves nothing
 * behind. Stopping and report collection live in stop.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "work_internal.h"

#define READY_TIMEOUT_NS (10ULL * 1000000000ULL)

/* Groups between spawn and free, for kw_note_child_exit. Only the agent's main thread touches it. */
static struct kw_group *live_groups;

__attribute__((format(printf, 1, 2))) static char *msg(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s ? s : strdup("out of memory");
}

static int is_pair_type(uint32_t type)
{
	return type == KW_PIPE_IO || type == KW_CACHE_PIPE;
}

/* ---- slots ------------------------------------------------------------------------------------- */

int kw_slot_drain(struct kw_slot *s)
{
	while (s->rfd >= 0) {
		uint8_t buf[16384];
		ssize_t n = read(s->rfd, buf, sizeof(buf));
		if (n > 0) {
			kbuf_put(&s->in, buf, (size_t)n);
			if (s->in.oom)
				return -1;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n < 0)
			return -1;
		s->eof = 1;
		close(s->rfd);
		s->rfd = -1;
	}
	return 0;
}

void kw_slot_kill(struct kw_slot *s)
{
	if (s->pid <= 0 || s->reaped)
		return;
	/* The worker leads its own group; the group also holds whatever it forked. ESRCH: gone. */
	(void)kill(s->pid, SIGKILL);
	(void)killpg(s->pid, SIGKILL);
}

void kw_slot_reap(struct kw_slot *s)
{
	if (s->pid <= 0 || s->reaped)
		return;
	int st;
	pid_t r;
	while ((r = waitpid(s->pid, &st, 0)) < 0 && errno == EINTR)
		;
	s->reaped = 1;
	if (r == s->pid)
		s->status = st;
	else
		s->wait_failed = 1;
}

static void slot_close(struct kw_slot *s)
{
	if (s->rfd >= 0)
		close(s->rfd);
	if (s->pidfd >= 0)
		close(s->pidfd);
	s->rfd = s->pidfd = -1;
	kbuf_free(&s->in);
}

/* ---- registry ---------------------------------------------------------------------------------- */

static void unregister(struct kw_group *g)
{
	for (struct kw_group **p = &live_groups; *p; p = &(*p)->next)
		if (*p == g) {
			*p = g->next;
			return;
		}
}

void kw_note_child_exiting(pid_t pid)
{
	for (struct kw_group *g = live_groups; g; g = g->next) {
		if (g->spec.type != KW_CUSTOM)
			continue;
		for (uint32_t i = 0; i < g->count; i++) {
			struct kw_slot *s = &g->w[i];
			if (s->pid == pid && !s->reaped) {
				kw_proc_sample(pid, &s->zombie);
				if (!s->exited) {
					s->exited = 1;
					s->exit_ns = kw_now_ns();
				}
				return;
			}
		}
	}
}

int kw_note_child_exit(pid_t pid, int status)
{
	for (struct kw_group *g = live_groups; g; g = g->next)
		for (uint32_t i = 0; i < g->count; i++) {
			struct kw_slot *s = &g->w[i];
			if (s->pid == pid && !s->reaped) {
				s->reaped = 1;
				s->by_agent = 1;
				s->status = status;
				if (!s->exited) {
					s->exited = 1;
					s->exit_ns = kw_now_ns();
				}
				return 1;
			}
		}
	return 0;
}

/* ---- spawn ------------------------------------------------------------------------------------- */

static void destroy(struct kw_group *g)
{
	for (uint32_t i = 0; i < g->count; i++)
		kw_slot_kill(&g->w[i]);
	for (uint32_t i = 0; i < g->count; i++) {
		kw_slot_reap(&g->w[i]);
		slot_close(&g->w[i]);
	}
	if (g->gate_wr >= 0)
		close(g->gate_wr);
	if (g->shm && munmap(g->shm, g->shm_len))
		fprintf(stderr, "ktstr agent: munmap of worker group %u: %s\n", g->spec.group_id, strerror(errno));
	kw_spec_free(&g->spec);
	free(g->w);
	free(g);
}

/* One report fd per worker stays open until stop: make room when a group is large. */
static void ensure_fd_room(uint32_t count)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= (rlim_t)count * 2 + 256)
		return;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		fprintf(stderr, "ktstr agent: cannot raise RLIMIT_NOFILE: %s\n", strerror(errno));
}

static char *wait_ready(struct kw_group *g)
{
	uint64_t deadline = kw_now_ns() + READY_TIMEOUT_NS;
	struct pollfd *pfd = calloc(g->count, sizeof(*pfd));
	uint32_t *idx = calloc(g->count, sizeof(*idx));
	char *err = NULL;
	if (!pfd || !idx) {
		err = msg("out of memory waiting for %u workers", g->count);
		goto out;
	}
	for (;;) {
		nfds_t n = 0;
		for (uint32_t i = 0; i < g->count; i++) {
			struct kw_slot *s = &g->w[i];
			if (s->ready)
				continue;
			if (kw_slot_drain(s)) {
				err = msg("worker %u (pid %d): reading its pipe: %s", i, (int)s->pid, strerror(errno));
				goto out;
			}
			if (s->in.len >= sizeof(struct kw_ready_rec)) {
				struct kw_ready_rec rec;
				memcpy(&rec, s->in.data, sizeof(rec));
				if (rec.magic != KW_REC_READY) {
					err = msg("worker %u (pid %d): garbled ready record", i, (int)s->pid);
					goto out;
				}
				if (rec.err) {
					err = msg("worker %u (pid %d) of group %u: %s failed: %s", i, (int)s->pid,
						  g->spec.group_id, kw_step_name(rec.step), strerror(rec.err));
					goto out;
				}
				memmove(s->in.data, s->in.data + sizeof(rec), s->in.len - sizeof(rec));
				s->in.len -= sizeof(rec);
				s->ready = 1;
				continue;
			}
			if (s->eof) {
				kw_slot_reap(s);
				err = msg("worker %u (pid %d) of group %u died during setup (wait status 0x%x)", i,
					  (int)s->pid, g->spec.group_id, (unsigned)s->status);
				goto out;
			}
			pfd[n].fd = s->rfd;
			pfd[n].events = POLLIN;
			idx[n++] = i;
		}
		if (n == 0)
			break;
		uint64_t now = kw_now_ns();
		if (now >= deadline) {
			err = msg("worker %u (pid %d) of group %u not ready after %llu s", idx[0], (int)g->w[idx[0]].pid,
				  g->spec.group_id, READY_TIMEOUT_NS / 1000000000ULL);
			goto out;
		}
		if (poll(pfd, n, (int)((deadline - now) / 1000000 + 1)) < 0 && errno != EINTR) {
			err = msg("poll on worker pipes: %s", strerror(errno));
			goto out;
		}
	}
out:
	free(pfd);
	free(idx);
	return err;
}

static int pidfd_open_compat(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	errno = ENOSYS;
	return -1;
#endif
}

struct kw_group *kw_group_spawn(const struct kw_group_spec *spec, char **err)
{
	const char *bad = kw_spec_check(spec);
	if (bad) {
		*err = msg("%s", bad);
		return NULL;
	}
	*err = NULL;
	struct kw_group *g = calloc(1, sizeof(*g));
	if (!g || kw_spec_copy(&g->spec, spec)) {
		free(g);
		*err = msg("out of memory spawning worker group %u", spec->group_id);
		return NULL;
	}
	g->count = spec->count;
	g->gsize = kw_group_size(spec);
	g->gate_wr = -1;
	g->w = calloc(g->count, sizeof(*g->w));
	if (!g->w) {
		kw_spec_free(&g->spec);
		free(g);
		*err = msg("out of memory spawning worker group %u", spec->group_id);
		return NULL;
	}
	for (uint32_t i = 0; i < g->count; i++) {
		g->w[i].pid = -1;
		g->w[i].rfd = -1;
		g->w[i].pidfd = -1;
		kbuf_init(&g->w[i].in);
	}
	long page = sysconf(_SC_PAGESIZE);
	size_t sz = (size_t)g->count * KW_ITER_SLOT_BYTES + (size_t)(g->count / g->gsize) * KW_SUB_SHM_BYTES;
	g->shm_len = (sz + (size_t)page - 1) / (size_t)page * (size_t)page;
	void *shm = mmap(NULL, g->shm_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED) {
		*err = msg("worker group %u: mmap of %zu shared bytes: %s", spec->group_id, g->shm_len,
			   strerror(errno));
		g->shm = NULL;
		destroy(g);
		return NULL;
	}
	g->shm = shm;
	ensure_fd_room(g->count);

	/* The gate is a stream socket pair: one byte per worker releases it, and the agent writes
	 * with MSG_NOSIGNAL, so workers that died early cannot raise SIGPIPE in the agent. */
	int gate[2], pair[4] = { -1, -1, -1, -1 };
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, gate)) {
		*err = msg("worker group %u: socketpair: %s", spec->group_id, strerror(errno));
		destroy(g);
		return NULL;
	}
	g->gate_wr = gate[0];

	/* SIGUSR1 stays blocked from fork until the worker's handler is in place. */
	sigset_t usr1, old;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &usr1, &old);
	pid_t self = getpid();
	for (uint32_t i = 0; i < g->count && !*err; i++) {
		struct kw_slot *s = &g->w[i];
		uint32_t rank = i % g->gsize;
		if (is_pair_type(spec->type) && rank == 0) {
			if (pipe2(pair, O_CLOEXEC | O_NONBLOCK) || pipe2(pair + 2, O_CLOEXEC | O_NONBLOCK)) {
				*err = msg("worker group %u: pipe: %s", spec->group_id, strerror(errno));
				break;
			}
		}
		/* rank 0 reads pair[2] and writes pair[1]; rank 1 reads pair[0] and writes pair[3] */
		int prd = -1, pwr = -1;
		if (is_pair_type(spec->type)) {
			prd = rank == 0 ? pair[2] : pair[0];
			pwr = rank == 0 ? pair[1] : pair[3];
		}
		int rp[2];
		if (pipe2(rp, O_CLOEXEC)) {
			*err = msg("worker group %u: pipe: %s", spec->group_id, strerror(errno));
			break;
		}
		uint8_t *sub = g->shm + (size_t)g->count * KW_ITER_SLOT_BYTES + (size_t)(i / g->gsize) * KW_SUB_SHM_BYTES;
		uint64_t *slot = (uint64_t *)(void *)(g->shm + (size_t)i * KW_ITER_SLOT_BYTES);
		pid_t pid = fork();
		if (pid == 0)
			kw_worker_main(&g->spec, i, self, gate[1], rp[1], prd, pwr, sub, slot);
		close(rp[1]);
		if (pid < 0) {
			close(rp[0]);
			*err = msg("worker group %u: fork of worker %u: %s", spec->group_id, i, strerror(errno));
			break;
		}
		s->pid = pid;
		s->rfd = rp[0];
		if (fcntl(s->rfd, F_SETFL, O_NONBLOCK))
			*err = msg("worker group %u: fcntl: %s", spec->group_id, strerror(errno));
		/* also here, so that the group exists before the agent moves the pid (races the child) */
		if (setpgid(pid, pid) && errno != EACCES && errno != ESRCH)
			*err = msg("worker group %u: setpgid(%d): %s", spec->group_id, (int)pid, strerror(errno));
		if (spec->type == KW_CUSTOM)
			s->pidfd = pidfd_open_compat(pid); /* -1 (old kernel): exits are polled instead */
		if (is_pair_type(spec->type) && rank == g->gsize - 1) {
			for (int k = 0; k < 4; k++)
				close(pair[k]);
			pair[0] = pair[1] = pair[2] = pair[3] = -1;
		}
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	for (int k = 0; k < 4; k++)
		if (pair[k] >= 0)
			close(pair[k]);
	close(gate[1]);
	if (!*err)
		*err = wait_ready(g);
	if (*err) {
		destroy(g);
		return NULL;
	}
	g->next = live_groups;
	live_groups = g;
	return g;
}

uint32_t kw_group_id(const struct kw_group *g)
{
	return g->spec.group_id;
}

uint32_t kw_group_count(const struct kw_group *g)
{
	return g->count;
}

pid_t kw_group_pid(const struct kw_group *g, uint32_t index)
{
	return index < g->count ? g->w[index].pid : -1;
}

int kw_group_start(struct kw_group *g)
{
	if (g->started || g->gate_wr < 0) {
		errno = EALREADY;
		return -1;
	}
	uint8_t go[256];
	memset(go, 1, sizeof(go));
	/* Custom programs are measured from outside: their baseline is now, blocked at the gate */
	if (g->spec.type == KW_CUSTOM)
		for (uint32_t i = 0; i < g->count; i++)
			if (g->w[i].pid > 0 && !g->w[i].reaped)
				kw_proc_sample(g->w[i].pid, &g->w[i].base);
	g->start_ns = kw_now_ns();
	uint32_t left = g->count;
	int rc = 0;
	while (left) {
		ssize_t n = send(g->gate_wr, go, left < sizeof(go) ? left : sizeof(go), MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			/* EPIPE: every worker is already gone; stop reports what happened to them */
			rc = errno == EPIPE ? 0 : -1;
			break;
		}
		left -= (uint32_t)n;
	}
	int e = errno;
	close(g->gate_wr);
	g->gate_wr = -1;
	g->started = 1;
	errno = e;
	return rc;
}

void kw_group_iterations(const struct kw_group *g, uint64_t *out)
{
	for (uint32_t i = 0; i < g->count; i++)
		out[i] = __atomic_load_n((uint64_t *)(void *)(g->shm + (size_t)i * KW_ITER_SLOT_BYTES),
					 __ATOMIC_RELAXED);
}

int kw_group_set_affinity(struct kw_group *g, char *const *cpus, uint32_t n, char **err)
{
	*err = NULL;
	if (n != g->count) {
		*err = msg("worker group %u: %u CPU lists for %u workers", g->spec.group_id, n, g->count);
		return -1;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint64_t bits[KW_LIST_WORDS];
		cpu_set_t set;
		if (kw_list_parse(cpus[i], bits)) {
			*err = msg("worker group %u: bad CPU list \"%s\" for worker %u", g->spec.group_id, cpus[i], i);
			return -1;
		}
		if (kw_list_empty(bits))
			memset(bits, 0xff, sizeof(bits)); /* all CPUs: the kernel keeps the allowed ones */
		kw_list_to_cpuset(bits, &set);
		struct kw_slot *s = &g->w[i];
		if (s->reaped || s->pid <= 0)
			continue;
		if (sched_setaffinity(s->pid, sizeof(set), &set) && errno != ESRCH) {
			*err = msg("worker group %u: sched_setaffinity(worker %u, pid %d, \"%s\"): %s", g->spec.group_id,
				   i, (int)s->pid, cpus[i], strerror(errno));
			return -1;
		}
	}
	return 0;
}

void kw_group_free(struct kw_group *g)
{
	if (!g)
		return;
	unregister(g);
	destroy(g);
}

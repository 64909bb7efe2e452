// SPDX-License-Identifier: Apache-2.0
/*
 * Stopping a worker group and collecting its reports (ktstr facts §4.4): SIGUSR1 to every worker,
 * reports read from the report pipes until a shared deadline, then SIGKILL of the worker and its
 * process group for stragglers. A worker without a valid report gets a sentinel report saying how
 * it ended (exited, signalled, timed out, wait failed). Custom programs are measured from /proc
 * while they are zombies, then reaped.
 */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "work_internal.h"

#define CUSTOM_POLL_NS 10000000ULL      /* exit polling without pidfds: 10 ms */
#define KILL_GRACE_MS 2000              /* after SIGKILL, a Custom program's exit is awaited this long */
#define LIFT_PERIOD_NS 100000000ULL     /* stragglers are lifted out of SCHED_IDLE / positive nice this often */

/* Whether a Custom program has exited, without reaping it. */
static int custom_exited(struct kw_slot *s)
{
	if (s->exited || s->reaped)
		return 1;
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)s->pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == s->pid) {
		s->exited = 1;
		s->exit_ns = kw_now_ns();
	}
	return s->exited;
}

/*
 * After the stop signal a worker's loop is over; what is left is to notice the signal and write
 * the report. A worker that sits in SCHED_IDLE or at a positive nice then (its spec, or PolicyChurn
 * and NiceSweep mid-cycle) gets almost no CPU beside busy neighbours that are not being stopped
 * (a Backdrop's hogs, a payload, the host's own load on bare metal), so it misses the deadline and
 * a TIMED_OUT report replaces its real one (seen: PolicyChurn in SCHED_IDLE beside four CPU hogs
 * got 0.1 ms of CPU in 1.3 s). Lifting it to SCHED_OTHER at nice 0 ends its run promptly and
 * keeps wall_time_ns from absorbing the wait. Only raised, never lowered: RT workers keep their
 * class. Errors (ESRCH: gone; EPERM: unprivileged agent) leave the worker as it was.
 */
static void lift_priority(const struct kw_slot *s)
{
	if (s->pid <= 0 || s->reaped)
		return;
	if (sched_getscheduler(s->pid) == SCHED_IDLE) {
		struct sched_param sp = { .sched_priority = 0 };
		(void)sched_setscheduler(s->pid, SCHED_OTHER, &sp);
	}
	errno = 0;
	int nice = getpriority(PRIO_PROCESS, (id_t)s->pid);
	if (errno == 0 && nice > 0)
		(void)setpriority(PRIO_PROCESS, (id_t)s->pid, 0);
}

void kw_group_request_stop(struct kw_group *g)
{
	if (g->stop_requested)
		return;
	g->stop_requested = 1;
	uint64_t now = kw_now_ns();
	for (uint32_t i = 0; i < g->count; i++) {
		struct kw_slot *s = &g->w[i];
		s->stop_ns = now;
		/* a Custom program that already ended by itself completed its run (an exit time noted
		 * earlier by kw_note_child_exit is kept) */
		if (g->spec.type == KW_CUSTOM && g->started && custom_exited(s) && s->exit_ns >= now)
			s->exit_ns = now - 1;
		if (s->pid > 0 && !s->reaped) {
			(void)kill(s->pid, SIGUSR1); /* ESRCH: already gone, its status will say how */
			lift_priority(s);
		}
	}
}

int kw_slot_report(const struct kw_slot *s, struct kw_report *r)
{
	if (s->in.len < 8)
		return 0;
	const uint8_t *p = s->in.data;
	uint32_t magic = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	uint32_t len = (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
	if (magic != KW_REC_REPORT)
		return -1;
	if (s->in.len - 8 < len)
		return 0;
	struct kbuf_reader rd;
	kbr_init(&rd, p + 8, len);
	if (kw_report_decode(&rd, r) || rd.off != rd.len)
		return -1;
	return 1;
}

/* A Custom worker that exec'd its program: its report pipe closed without a record. */
static int custom_running(const struct kw_group *g, const struct kw_slot *s)
{
	return g->spec.type == KW_CUSTOM && s->eof && s->in.len == 0;
}

/* Whether s->in holds a whole report record (or bytes that can never become one). */
static int record_complete(const struct kw_slot *s)
{
	if (s->in.len < 8)
		return 0;
	const uint8_t *p = s->in.data;
	uint32_t magic = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	uint32_t len = (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
	return magic != KW_REC_REPORT || s->in.len - 8 >= len;
}

static int slot_done(const struct kw_group *g, struct kw_slot *s)
{
	if (!s->eof && !record_complete(s))
		return 0;
	if (custom_running(g, s))
		return custom_exited(s);
	return 1;
}

/* Reads reports until every worker is done or the deadline passes. */
static void collect(struct kw_group *g, uint64_t deadline)
{
	struct pollfd *pfd = calloc((size_t)g->count * 2 + 1, sizeof(*pfd));
	uint64_t next_lift = kw_now_ns() + LIFT_PERIOD_NS;
	for (;;) {
		nfds_t n = 0;
		int poll_exits = 0;
		/* again now and then: a PolicyChurn or NiceSweep worker may have lowered itself once
		 * more between the signal and noticing it */
		int lift = kw_now_ns() >= next_lift;
		if (lift)
			next_lift = kw_now_ns() + LIFT_PERIOD_NS;
		for (uint32_t i = 0; i < g->count; i++) {
			struct kw_slot *s = &g->w[i];
			if (kw_slot_drain(s))
				s->eof = 1; /* unreadable pipe: treat like a silent worker */
			if (slot_done(g, s))
				continue;
			if (lift)
				lift_priority(s);
			if (!pfd)
				continue;
			if (s->rfd >= 0) {
				pfd[n].fd = s->rfd;
				pfd[n++].events = POLLIN;
			} else if (s->pidfd >= 0) {
				pfd[n].fd = s->pidfd;
				pfd[n++].events = POLLIN;
			} else {
				poll_exits = 1;
			}
		}
		uint64_t now = kw_now_ns();
		if ((n == 0 && !poll_exits) || now >= deadline)
			break;
		uint64_t wait = deadline - now;
		if (wait > LIFT_PERIOD_NS)
			wait = LIFT_PERIOD_NS; /* the next lift; also keeps the int milliseconds in range */
		if (poll_exits || !pfd)
			wait = wait < CUSTOM_POLL_NS ? wait : CUSTOM_POLL_NS;
		if (poll(pfd, n, (int)(wait / 1000000) + 1) < 0 && errno != EINTR)
			break;
	}
	free(pfd);
}

/* A Custom program after its exit is known or forced: measured from /proc as a zombie, reaped. */
static void finish_custom(struct kw_group *g, struct kw_slot *s, struct kw_report *r)
{
	if (!s->reaped) {
		if (s->pidfd >= 0) {
			struct pollfd p = { .fd = s->pidfd, .events = POLLIN };
			while (poll(&p, 1, KILL_GRACE_MS) < 0 && errno == EINTR)
				;
		}
		siginfo_t si;
		memset(&si, 0, sizeof(si));
		/* blocks until it is a zombie, which it soon is: it exited or was SIGKILLed */
		while (waitid(P_PID, (id_t)s->pid, &si, WEXITED | WNOWAIT) < 0 && errno == EINTR)
			;
		if (!s->exited) {
			s->exited = 1;
			s->exit_ns = kw_now_ns();
		}
	}
	uint64_t end = s->exit_ns ? s->exit_ns : kw_now_ns();
	r->wall_time_ns = g->started && end > g->start_ns ? end - g->start_ns : 0;
	if (!s->reaped)
		kw_custom_measure(s->pid, &s->base, r);
	else
		kw_custom_apply(&s->zombie, &s->base, r); /* read before the agent reaped it (empty if it could not be) */
}

static void fill_status(struct kw_slot *s, struct kw_report *r)
{
	if (s->wait_failed) {
		r->exit_kind = KW_EXIT_WAIT_FAILED;
		return;
	}
	if (WIFEXITED(s->status))
		r->exit_code = WEXITSTATUS(s->status);
	if (WIFSIGNALED(s->status))
		r->term_signal = WTERMSIG(s->status);
}

/* The report of a Custom program that ran: OK when it ended by itself with 0, or by the stop. */
static void custom_outcome(struct kw_slot *s, struct kw_report *r)
{
	fill_status(s, r);
	if (r->exit_kind == KW_EXIT_WAIT_FAILED)
		return;
	int before_stop = !s->stop_ns || (s->exit_ns && s->exit_ns < s->stop_ns);
	r->completed = before_stop;
	if (s->timed_out)
		r->exit_kind = KW_EXIT_TIMED_OUT;
	else if (WIFSIGNALED(s->status))
		r->exit_kind = WTERMSIG(s->status) == SIGUSR1 && !before_stop ? KW_EXIT_OK : KW_EXIT_SIGNALED;
	else
		r->exit_kind = WEXITSTATUS(s->status) == 0 ? KW_EXIT_OK : KW_EXIT_EXITED;
}

static void sentinel(struct kw_slot *s, struct kw_report *r)
{
	fill_status(s, r);
	if (r->exit_kind == KW_EXIT_WAIT_FAILED)
		return;
	if (s->timed_out)
		r->exit_kind = KW_EXIT_TIMED_OUT;
	else if (WIFSIGNALED(s->status))
		r->exit_kind = KW_EXIT_SIGNALED;
	else
		r->exit_kind = KW_EXIT_EXITED;
}

int kw_group_stop(struct kw_group *g, uint64_t deadline_ns_monotonic, struct kw_report *out)
{
	if (g->stopped) {
		errno = EALREADY;
		return -1;
	}
	g->stopped = 1;
	kw_group_request_stop(g);
	collect(g, deadline_ns_monotonic);

	/* Stragglers: killed with whatever they forked. */
	for (uint32_t i = 0; i < g->count; i++) {
		struct kw_slot *s = &g->w[i];
		if (!slot_done(g, s) && !s->reaped) {
			s->timed_out = 1;
			kw_slot_kill(s);
		}
	}
	for (uint32_t i = 0; i < g->count; i++) {
		struct kw_slot *s = &g->w[i];
		struct kw_report *r = &out[i];
		int have = kw_slot_report(s, r);
		if (have != 1)
			memset(r, 0, sizeof(*r));
		if (custom_running(g, s) || (g->spec.type == KW_CUSTOM && s->timed_out && have != 1))
			finish_custom(g, s, r);
		/* leftovers of the worker's process group go too; the zombie leader keeps the pgid ours */
		kw_slot_kill(s);
		kw_slot_reap(s);
		r->group_id = g->spec.group_id;
		r->index = i;
		r->pid = (int32_t)s->pid;
		if (have == 1) {
			continue;
		} else if (g->spec.type == KW_CUSTOM && (s->eof && s->in.len == 0)) {
			custom_outcome(s, r);
		} else if (g->spec.type == KW_CUSTOM && s->timed_out) {
			custom_outcome(s, r);
		} else {
			r->max_gap_cpu = -1;
			sentinel(s, r);
		}
	}
	for (uint32_t i = 0; i < g->count; i++) {
		if (g->w[i].rfd >= 0) {
			close(g->w[i].rfd);
			g->w[i].rfd = -1;
		}
		kbuf_free(&g->w[i].in);
	}
	return 0;
}

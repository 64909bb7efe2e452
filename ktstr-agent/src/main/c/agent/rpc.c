// SPDX-License-Identifier: Apache-2.0
/* Request dispatch, replies, events and deferred replies. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "chan.h"
#include "log.h"

uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int send_or_log(struct agent *a, uint16_t type, uint32_t id, uint32_t flags, const struct kbuf *b)
{
	if (b && b->oom) {
		log_err("out of memory building message type 0x%02x", type);
		struct kbuf e;
		kbuf_init(&e);
		kbuf_i32(&e, ENOMEM);
		kbuf_str(&e, "agent ran out of memory building the reply");
		int rc = chan_send(a->chan, KTSTR_MSG_REPLY, id, KTSTR_FLAG_ERROR, e.data, e.len);
		kbuf_free(&e);
		return rc;
	}
	int rc = chan_send(a->chan, type, id, flags, b ? b->data : NULL, b ? b->len : 0);
	if (rc)
		log_err("send to host failed: %s", chan_error(a->chan));
	return rc;
}

int reply_ok(struct agent *a, uint32_t id, const struct kbuf *payload)
{
	return send_or_log(a, KTSTR_MSG_REPLY, id, 0, payload);
}

int reply_err(struct agent *a, uint32_t id, int err, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	struct kbuf b;
	kbuf_init(&b);
	kbuf_i32(&b, err);
	kbuf_str(&b, msg);
	int rc = send_or_log(a, KTSTR_MSG_REPLY, id, KTSTR_FLAG_ERROR, &b);
	kbuf_free(&b);
	return rc;
}

int send_event(struct agent *a, uint16_t type, const struct kbuf *payload)
{
	return send_or_log(a, type, 0, 0, payload);
}

void pending_add(struct agent *a, struct pending p)
{
	struct pending *n = realloc(a->pend, (a->npend + 1) * sizeof(*n));
	if (!n) {
		reply_err(a, p.id, ENOMEM, "out of memory queueing a deferred reply");
		free(p.name);
		return;
	}
	a->pend = n;
	a->pend[a->npend++] = p;
}

static int wait_tick(struct agent *a, const struct pending *p, uint64_t now)
{
	struct proc *pr = proc_find(a, p->name);
	if (!pr) {
		reply_err(a, p->id, ESRCH, "no process named '%s'", p->name);
		return 1;
	}
	if (!pr->exited && (p->deadline_ns == 0 || now < p->deadline_ns))
		return 0;
	if (pr->out.fd >= 0)
		capture_read(&pr->out); /* the last output; a grandchild may hold the pipe open */
	kbuf_reset(&a->out);
	kbuf_u8(&a->out, (uint8_t)pr->exited);
	kbuf_i32(&a->out, pr->exit_code);
	kbuf_i32(&a->out, pr->term_signal);
	capture_put(&pr->out, &a->out, 8u << 20);
	reply_ok(a, p->id, &a->out);
	return 1;
}

int pending_tick(struct agent *a)
{
	uint64_t now = now_ns();
	int timeout = -1;
	for (size_t i = 0; i < a->npend;) {
		struct pending *p = &a->pend[i];
		int done = 0;
		switch (p->kind) {
		case PEND_WAIT:
			done = wait_tick(a, p, now);
			break;
		case PEND_SCHED_ATTACH:
			done = sched_attach_tick(a, p);
			if (!done)
				timeout = timeout < 0 || timeout > 20 ? 20 : timeout; /* sysfs has no event */
			break;
		case PEND_SCHED_STOP:
			done = sched_stop_tick(a, p);
			break;
		case PEND_SHELL:
			done = a->shell_pid == 0;
			break;
		}
		if (done) {
			free(p->name);
			a->pend[i] = a->pend[--a->npend];
			continue;
		}
		if (p->deadline_ns) {
			uint64_t left = p->deadline_ns > now ? (p->deadline_ns - now) / 1000000 + 1 : 0;
			if (timeout < 0 || left < (uint64_t)timeout)
				timeout = (int)left;
		}
		i++;
	}
	return timeout;
}

static void handle_ping(struct agent *a, uint32_t id, struct kbuf_reader *r)
{
	kbuf_reset(&a->out);
	kbuf_u64(&a->out, now_ns());
	reply_ok(a, id, &a->out);
}

static void handle_sysinfo(struct agent *a, uint32_t id, struct kbuf_reader *r)
{
	struct utsname u;
	char cmdline[4096] = "";
	int fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t n = read(fd, cmdline, sizeof(cmdline) - 1);
		cmdline[n > 0 ? n : 0] = 0;
		close(fd);
		char *nl = strchr(cmdline, '\n');
		if (nl)
			*nl = 0;
	}
	uname(&u);
	struct timespec bt;
	clock_gettime(CLOCK_BOOTTIME, &bt);
	kbuf_reset(&a->out);
	kbuf_str(&a->out, u.release);
	kbuf_u32(&a->out, (uint32_t)get_nprocs());
	kbuf_u32(&a->out, 0); /* kernel HZ is not visible from user space; the host reads the config */
	kbuf_str(&a->out, cmdline);
	kbuf_u64(&a->out, (uint64_t)bt.tv_sec * 1000000000ull + (uint64_t)bt.tv_nsec);
	reply_ok(a, id, &a->out);
}

static void handle_read_file(struct agent *a, uint32_t id, struct kbuf_reader *r)
{
	char *path = kbr_str(r);
	uint32_t max = kbr_u32(r);
	if (r->err) {
		free(path);
		reply_err(a, id, EINVAL, "malformed READ_FILE");
		return;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		reply_err(a, id, errno, "open %s: %s", path, strerror(errno));
		free(path);
		return;
	}
	struct kbuf data;
	kbuf_init(&data);
	char buf[65536];
	for (;;) {
		size_t want = sizeof(buf);
		if (max && data.len + want > max)
			want = max - data.len;
		if (want == 0)
			break;
		ssize_t n = read(fd, buf, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			reply_err(a, id, errno, "read %s: %s", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		kbuf_put(&data, buf, (size_t)n);
	}
	kbuf_reset(&a->out);
	kbuf_bytes(&a->out, data.data, data.len);
	reply_ok(a, id, &a->out);
out:
	close(fd);
	kbuf_free(&data);
	free(path);
}

static void handle_write_file(struct agent *a, uint32_t id, struct kbuf_reader *r)
{
	char *path = kbr_str(r);
	uint32_t n;
	const uint8_t *data = kbr_bytes(r, &n);
	uint8_t append = kbr_u8(r);
	if (r->err) {
		free(path);
		reply_err(a, id, EINVAL, "malformed WRITE_FILE");
		return;
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0644);
	if (fd < 0) {
		reply_err(a, id, errno, "open %s: %s", path, strerror(errno));
		free(path);
		return;
	}
	size_t off = 0;
	while (off < n) {
		ssize_t w = write(fd, data + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			reply_err(a, id, errno, "write %s: %s", path, strerror(errno));
			close(fd);
			free(path);
			return;
		}
		off += (size_t)w;
	}
	if (close(fd) != 0) {
		reply_err(a, id, errno, "close %s: %s", path, strerror(errno));
	} else {
		kbuf_reset(&a->out);
		reply_ok(a, id, &a->out);
	}
	free(path);
}

static void handle_cgroup(struct agent *a, const struct ktstr_msg_hdr *h, struct kbuf_reader *r)
{
	char err[512] = "";
	int rc = -1;
	uint32_t moved = 0;
	if (a->cg_unavailable[0]) {
		reply_err(a, h->id, ENOTSUP, "%s", a->cg_unavailable);
		return;
	}
	char *s1 = kbr_str(r), *s2 = NULL, *s3 = NULL;
	switch (h->type) {
	case KTSTR_MSG_CG_CREATE:
		if (!r->err)
			rc = cg_create(a, s1, err, sizeof(err));
		break;
	case KTSTR_MSG_CG_REMOVE:
		if (!r->err)
			rc = cg_remove(a, s1, err, sizeof(err));
		break;
	case KTSTR_MSG_CG_SET_CPUSET:
		s2 = kbr_str(r);
		s3 = kbr_str(r);
		if (!r->err)
			rc = cg_set_cpuset(a, s1, s2, s3, err, sizeof(err));
		break;
	case KTSTR_MSG_CG_MOVE_ALL:
		s2 = kbr_str(r);
		if (!r->err)
			rc = cg_move_all(a, s1, s2, &moved, err, sizeof(err));
		break;
	case KTSTR_MSG_CG_WRITE:
		s2 = kbr_str(r);
		s3 = kbr_str(r);
		if (!r->err)
			rc = cg_write(a, s1, s2, s3, err, sizeof(err));
		break;
	}
	if (r->err) {
		reply_err(a, h->id, EINVAL, "malformed cgroup request 0x%02x", h->type);
	} else if (rc != 0) {
		reply_err(a, h->id, rc > 0 ? rc : EIO, "%s", err);
	} else {
		kbuf_reset(&a->out);
		if (h->type == KTSTR_MSG_CG_MOVE_ALL)
			kbuf_u32(&a->out, moved);
		reply_ok(a, h->id, &a->out);
	}
	free(s1);
	free(s2);
	free(s3);
}

void rpc_dispatch(struct agent *a, const struct ktstr_msg_hdr *h, const uint8_t *payload)
{
	struct kbuf_reader r;
	kbr_init(&r, payload, h->len);
	switch (h->type) {
	case KTSTR_MSG_PING: handle_ping(a, h->id, &r); break;
	case KTSTR_MSG_EXEC: handle_exec(a, h->id, &r); break;
	case KTSTR_MSG_SPAWN: handle_spawn(a, h->id, &r); break;
	case KTSTR_MSG_SIGNAL: handle_signal(a, h->id, &r); break;
	case KTSTR_MSG_WAIT: handle_wait(a, h->id, &r); break;
	case KTSTR_MSG_SHELL: handle_shell(a, h->id, &r); break;
	case KTSTR_MSG_CG_CREATE:
	case KTSTR_MSG_CG_REMOVE:
	case KTSTR_MSG_CG_SET_CPUSET:
	case KTSTR_MSG_CG_MOVE_ALL:
	case KTSTR_MSG_CG_WRITE:
		handle_cgroup(a, h, &r);
		break;
	case KTSTR_MSG_W_SPAWN: handle_w_spawn(a, h->id, &r); break;
	case KTSTR_MSG_W_START: handle_w_start(a, h->id, &r); break;
	case KTSTR_MSG_W_STOP: handle_w_stop(a, h->id, &r); break;
	case KTSTR_MSG_W_AFFINITY: handle_w_affinity(a, h->id, &r); break;
	case KTSTR_MSG_W_ITERS: handle_w_iters(a, h->id, &r); break;
	case KTSTR_MSG_W_MOVE: handle_w_move(a, h->id, &r); break;
	case KTSTR_MSG_SCHED_START: handle_sched_start(a, h->id, &r); break;
	case KTSTR_MSG_SCHED_STATUS: handle_sched_status(a, h->id, &r); break;
	case KTSTR_MSG_SCHED_STOP: handle_sched_stop(a, h->id, &r); break;
	case KTSTR_MSG_READ_FILE: handle_read_file(a, h->id, &r); break;
	case KTSTR_MSG_WRITE_FILE: handle_write_file(a, h->id, &r); break;
	case KTSTR_MSG_SYSINFO: handle_sysinfo(a, h->id, &r); break;
	default:
		reply_err(a, h->id, ENOSYS, "unknown request type 0x%02x", h->type);
	}
}

// SPDX-License-Identifier: Apache-2.0
/* The scheduler under test: start it, wait until sched_ext reports it enabled, watch it, stop it and
 * confirm it detached. Kernel sched_ext messages are forwarded from /dev/kmsg as they appear. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent.h"
#include "log.h"

#define SCX_STATE "/sys/kernel/sched_ext/state"
#define SCX_OPS "/sys/kernel/sched_ext/root/ops"

static void read_line(const char *path, char *out, size_t len)
{
	out[0] = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	ssize_t n = read(fd, out, len - 1);
	close(fd);
	out[n > 0 ? n : 0] = 0;
	char *nl = strchr(out, '\n');
	if (nl)
		*nl = 0;
}

void sched_read_state(char *state, size_t slen, char *ops, size_t olen)
{
	read_line(SCX_STATE, state, slen);
	if (!state[0])
		snprintf(state, slen, "unavailable");
	read_line(SCX_OPS, ops, olen);
}

static void put_state(struct agent *a, int attached)
{
	struct sched *s = &a->sched;
	char state[64], ops[128];
	sched_read_state(state, sizeof(state), ops, sizeof(ops));
	kbuf_reset(&a->out);
	kbuf_i32(&a->out, s->pid);
	kbuf_u8(&a->out, (uint8_t)attached);
	kbuf_u8(&a->out, (uint8_t)s->running);
	kbuf_i32(&a->out, s->exit_code);
	kbuf_i32(&a->out, s->term_signal);
	kbuf_str(&a->out, state);
	kbuf_str(&a->out, ops);
}

void handle_sched_start(struct agent *a, uint32_t id, struct kbuf_reader *r)
{
	struct sched *s = &a->sched;
	uint32_t nargs, nenv;
	char *path = kbr_str(r);
	char **args = kbr_strs(r, &nargs);
	char **env = kbr_strs(r, &nenv);
	char *expect = kbr_str(r);
	uint32_t timeout_ms = kbr_u32(r);
	char **argv = NULL;
	int outp[2] = {-1, -1};
	if (r->err || !path || !path[0]) {
		reply_err(a, id, EINVAL, "malformed SCHED_START");
		goto done;
	}
	if (s->running) {
		reply_err(a, id, EBUSY, "a scheduler (pid %d) is already running", (int)s->pid);
		goto done;
	}
	argv = calloc((size_t)nargs + 2, sizeof(char *));
	if (!argv) {
		reply_err(a, id, ENOMEM, "out of memory");
		goto done;
	}
	argv[0] = path;
	for (uint32_t i = 0; i < nargs; i++)
		argv[i + 1] = args[i];
	if (pipe2(outp, O_CLOEXEC)) {
		reply_err(a, id, errno, "pipe: %s", strerror(errno));
		goto done;
	}
	int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	char msg[512];
	capture_free(&s->out);
	pid_t pid = spawn_process(argv, env, NULL, devnull, outp[1], outp[1], 0, msg, sizeof(msg));
	if (devnull >= 0)
		close(devnull);
	close(outp[1]);
	outp[1] = -1;
	if (pid < 0) {
		reply_err(a, id, errno ? errno : ENOENT, "%s", msg);
		goto done;
	}
	s->pid = pid;
	s->running = 1;
	s->stopping = 0;
	s->exit_code = s->term_signal = 0;
	snprintf(s->expect_ops, sizeof(s->expect_ops), "%s", expect);
	capture_start(&s->out, outp[0]);
	outp[0] = -1;
	log_info("scheduler %s started (pid %d), waiting for sched_ext to enable it", path, (int)pid);
	pending_add(a, (struct pending){.kind = PEND_SCHED_ATTACH, .id = id,
			.deadline_ns = now_ns() + (uint64_t)(timeout_ms ? timeout_ms : 10000) * 1000000ull});
done:
	if (outp[0] >= 0)
		close(outp[0]);
	if (outp[1] >= 0)
		close(outp[1]);
	free(argv);
	free(path);
	kbr_free_strs(args);
	kbr_free_strs(env);
	free(expect);
}

int sched_attach_tick(struct agent *a, const struct pending *p)
{
	struct sched *s = &a->sched;
	char state[64], ops[128];
	sched_read_state(state, sizeof(state), ops, sizeof(ops));
	int attached = s->running && strcmp(state, "enabled") == 0 &&
		       (!s->expect_ops[0] || strcmp(ops, s->expect_ops) == 0);
	if (!attached && s->running && now_ns() < p->deadline_ns)
		return 0;
	if (s->out.fd >= 0)
		capture_read(&s->out);
	put_state(a, attached);
	capture_put(&s->out, &a->out, 8u << 20);
	reply_ok(a, p->id, &a->out);
	return 1;
}

void handle_sched_status(struct agent *a, uint32_t id, struct kbuf_reader *r)
{
	struct sched *s = &a->sched;
	char state[64], ops[128];
	sched_read_state(state, sizeof(state), ops, sizeof(ops));
	kbuf_reset(&a->out);
	kbuf_i32(&a->out, s->pid);
	kbuf_u8(&a->out, (uint8_t)s->running);
	kbuf_i32(&a->out, s->exit_code);
	kbuf_i32(&a->out, s->term_signal);
	kbuf_str(&a->out, state);
	kbuf_str(&a->out, ops);
	reply_ok(a, id, &a->out);
}

void handle_sched_stop(struct agent *a, uint32_t id, struct kbuf_reader *r)
{
	struct sched *s = &a->sched;
	uint32_t timeout_ms = kbr_u32(r);
	if (r->err) {
		reply_err(a, id, EINVAL, "malformed SCHED_STOP");
		return;
	}
	if (s->pid == 0) {
		reply_err(a, id, ESRCH, "no scheduler was started");
		return;
	}
	s->stopping = 1;
	if (s->running)
		kill(s->pid, SIGINT);
	pending_add(a, (struct pending){.kind = PEND_SCHED_STOP, .id = id,
			.deadline_ns = now_ns() + (uint64_t)(timeout_ms ? timeout_ms : 5000) * 1000000ull});
}

int sched_stop_tick(struct agent *a, struct pending *p)
{
	struct sched *s = &a->sched;
	if (s->running) {
		if (now_ns() < p->deadline_ns)
			return 0;
		if (!p->killed) {
			log_warn("scheduler pid %d ignored SIGINT; killing it", (int)s->pid);
			kill(s->pid, SIGKILL);
			p->killed = 1;
			p->deadline_ns = now_ns() + 2000000000ull;
			return 0;
		}
	}
	if (s->out.fd >= 0)
		capture_read(&s->out); /* what is there now; a grandchild may hold the pipe open */
	char state[64], ops[128];
	/* Detach completes asynchronously in the kernel after the process is gone. */
	for (int i = 0; i < 100; i++) {
		sched_read_state(state, sizeof(state), ops, sizeof(ops));
		if (strcmp(state, "enabled") != 0)
			break;
		usleep(10000);
	}
	kbuf_reset(&a->out);
	kbuf_i32(&a->out, s->exit_code);
	kbuf_i32(&a->out, s->term_signal);
	kbuf_u8(&a->out, (uint8_t)(!s->running && strcmp(state, "enabled") != 0));
	capture_put(&s->out, &a->out, 8u << 20);
	reply_ok(a, p->id, &a->out);
	s->stopping = 0;
	return 1;
}

void sched_note_exit(struct agent *a, int status)
{
	struct sched *s = &a->sched;
	s->running = 0;
	s->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	s->term_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	if (s->out.fd >= 0)
		capture_read(&s->out);
	if (s->stopping)
		return;
	log_warn("scheduler pid %d exited (code %d, signal %d)", (int)s->pid, s->exit_code, s->term_signal);
	char state[64], ops[128];
	sched_read_state(state, sizeof(state), ops, sizeof(ops));
	kbuf_reset(&a->out);
	kbuf_i32(&a->out, s->pid);
	kbuf_i32(&a->out, s->exit_code);
	kbuf_i32(&a->out, s->term_signal);
	kbuf_str(&a->out, state);
	capture_put(&s->out, &a->out, 1u << 20);
	send_event(a, KTSTR_MSG_EV_SCHED_EXIT, &a->out);
}

int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0)
		lseek(fd, 0, SEEK_END); /* only what happens from now on */
	return fd;
}

void kmsg_read(struct agent *a)
{
	char rec[8192];
	for (;;) {
		ssize_t n = read(a->kmsg_fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue; /* overwritten records: skip ahead */
		if (n <= 0)
			return;
		rec[n] = 0;
		/* Record: "prio,seq,usec,flags;message\n[ continuation lines ]" */
		char *msg = strchr(rec, ';');
		if (!msg)
			continue;
		msg++;
		char *nl = strchr(msg, '\n');
		if (nl)
			*nl = 0;
		if (!strstr(msg, "sched_ext"))
			continue;
		kbuf_reset(&a->out);
		kbuf_str(&a->out, msg);
		send_event(a, KTSTR_MSG_EV_KMSG, &a->out);
	}
}

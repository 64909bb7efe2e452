// SPDX-License-Identifier: Apache-2.0
/* Programs the agent runs: EXEC (to completion), named background processes, the interactive
 * shell, output capture, and reaping every child. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent.h"
#include "ktstr_work.h"
#include "log.h"

#define EXEC_OUTPUT_MAX (16u << 20)

int capture_start(struct capture *c, int fd)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->head = malloc(CAPTURE_HEAD);
	c->tail = malloc(CAPTURE_TAIL);
	if (!c->head || !c->tail) {
		free(c->head);
		free(c->tail);
		c->head = c->tail = NULL;
		return ENOMEM;
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	return 0;
}

static void capture_add(struct capture *c, const char *p, size_t n)
{
	c->total += n;
	size_t h = CAPTURE_HEAD - c->head_len;
	if (h > n)
		h = n;
	memcpy(c->head + c->head_len, p, h);
	c->head_len += h;
	p += h;
	n -= h;
	for (size_t i = 0; i < n; i++)
		c->tail[(c->tail_pos++) % CAPTURE_TAIL] = p[i];
}

int capture_read(struct capture *c)
{
	if (c->fd < 0)
		return 1;
	char buf[65536];
	for (;;) {
		ssize_t n = read(c->fd, buf, sizeof(buf));
		if (n > 0) {
			capture_add(c, buf, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		close(c->fd);
		c->fd = -1;
		return 1;
	}
}

void capture_put(const struct capture *c, struct kbuf *b, size_t max)
{
	size_t tail_len = c->tail_pos < CAPTURE_TAIL ? c->tail_pos : CAPTURE_TAIL;
	size_t omitted = (size_t)(c->total - c->head_len - tail_len);
	char marker[96] = "";
	if (omitted)
		snprintf(marker, sizeof(marker), "\n[... %zu bytes omitted ...]\n", omitted);
	size_t head = c->head_len;
	if (head + strlen(marker) + tail_len > max && max > head + strlen(marker))
		tail_len = max - head - strlen(marker);
	size_t total = head + strlen(marker) + tail_len;
	kbuf_u32(b, (uint32_t)total);
	if (c->head)
		kbuf_put(b, c->head, head);
	kbuf_put(b, marker, strlen(marker));
	size_t start = (c->tail_pos - tail_len) % CAPTURE_TAIL;
	size_t first = CAPTURE_TAIL - start < tail_len ? CAPTURE_TAIL - start : tail_len;
	if (c->tail) {
		kbuf_put(b, c->tail + start, first);
		kbuf_put(b, c->tail, tail_len - first);
	}
}

void capture_free(struct capture *c)
{
	if (c->fd >= 0)
		close(c->fd);
	free(c->head);
	free(c->tail);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

static void child_reset_signals(void)
{
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int s = 1; s < NSIG; s++)
		signal(s, SIG_DFL);
}

static const char *default_env[] = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
				    "HOME=/tmp", "TERM=linux", NULL};

pid_t spawn_process(char *const argv[], char *const env[], const char *cgroup_abs, int in_fd, int out_fd,
		    int err_fd, int new_session, char *err, size_t errlen)
{
	if (!argv || !argv[0]) {
		snprintf(err, errlen, "empty command");
		return -1;
	}
	/* The child reports an exec failure's errno through this close-on-exec pipe. */
	int ep[2];
	if (pipe2(ep, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(ep[0]);
		close(ep[1]);
		return -1;
	}
	if (pid == 0) {
		child_reset_signals();
		/* On bare metal the agent can be killed; its children must not outlive it. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (new_session)
			setsid();
		else
			setpgid(0, 0);
		int e = 0;
		if (cgroup_abs && cgroup_abs[0]) {
			char p[700];
			snprintf(p, sizeof(p), "%s/cgroup.procs", cgroup_abs);
			int fd = open(p, O_WRONLY);
			if (fd < 0 || write(fd, "0", 1) != 1)
				e = errno ? errno : EIO;
			if (fd >= 0)
				close(fd);
		}
		if (!e) {
			if ((in_fd >= 0 && dup2(in_fd, 0) < 0) || (out_fd >= 0 && dup2(out_fd, 1) < 0) ||
			    (err_fd >= 0 && dup2(err_fd, 2) < 0))
				e = errno;
		}
		/* An interactive session leader takes its terminal as controlling tty (job control). */
		if (!e && new_session && isatty(0))
			ioctl(0, TIOCSCTTY, 1);
		if (!e) {
			for (int i = 0; env && env[i]; i++)
				putenv(env[i]);
			for (int i = 0; default_env[i]; i++) {
				char k[64];
				const char *eq = strchr(default_env[i], '=');
				snprintf(k, sizeof(k), "%.*s", (int)(eq - default_env[i]), default_env[i]);
				if (!getenv(k))
					putenv((char *)default_env[i]);
			}
			execvp(argv[0], argv);
			e = errno;
		}
		ssize_t w = write(ep[1], &e, sizeof(e));
		(void)w;
		_exit(127);
	}
	close(ep[1]);
	int child_err = 0;
	ssize_t n;
	do {
		n = read(ep[0], &child_err, sizeof(child_err));
	} while (n < 0 && errno == EINTR);
	close(ep[0]);
	if (n == (ssize_t)sizeof(child_err)) {
		waitpid(pid, NULL, 0);
		snprintf(err, errlen, "cannot run %s: %s", argv[0], strerror(child_err));
		errno = child_err;
		return -1;
	}
	return pid;
}

static void close_pair(int p[2])
{
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
}

void handle_exec(struct agent *a, uint32_t id, struct kbuf_reader *r)
{
	uint32_t nargv, nenv, nin;
	char **argv = kbr_strs(r, &nargv);
	char **env = kbr_strs(r, &nenv);
	char *cg = kbr_str(r);
	uint32_t timeout_ms = kbr_u32(r);
	const uint8_t *in = kbr_bytes(r, &nin);
	int inp[2] = {-1, -1}, outp[2] = {-1, -1}, errp[2] = {-1, -1};
	struct kbuf out, errb;
	kbuf_init(&out);
	kbuf_init(&errb);
	if (r->err || !argv || nargv == 0) {
		reply_err(a, id, EINVAL, "malformed EXEC (argv must not be empty)");
		goto done;
	}
	char cgabs[600] = "";
	if (cg && cg[0] && cg_path(a, cg, cgabs, sizeof(cgabs))) {
		reply_err(a, id, EINVAL, "bad cgroup path '%s'", cg);
		goto done;
	}
	if (pipe2(inp, O_CLOEXEC) || pipe2(outp, O_CLOEXEC) || pipe2(errp, O_CLOEXEC)) {
		reply_err(a, id, errno, "pipe: %s", strerror(errno));
		goto done;
	}
	char msg[512];
	uint64_t t0 = now_ns();
	pid_t pid = spawn_process(argv, env, cgabs, inp[0], outp[1], errp[1], 0, msg, sizeof(msg));
	close(inp[0]);
	close(outp[1]);
	close(errp[1]);
	inp[0] = outp[1] = errp[1] = -1;
	if (pid < 0) {
		reply_err(a, id, errno ? errno : ENOENT, "%s", msg);
		goto done;
	}
	/* Feed stdin, collect stdout/stderr until both close or the timeout passes. */
	size_t in_off = 0;
	if (nin == 0) {
		close(inp[1]);
		inp[1] = -1;
	} else {
		fcntl(inp[1], F_SETFL, O_NONBLOCK);
	}
	uint64_t deadline = timeout_ms ? t0 + (uint64_t)timeout_ms * 1000000ull : 0;
	int timed_out = 0;
	while (outp[0] >= 0 || errp[0] >= 0) {
		struct pollfd fds[3];
		int nf = 0, iout = -1, ierr = -1, iin = -1;
		if (outp[0] >= 0) {
			iout = nf;
			fds[nf++] = (struct pollfd){outp[0], POLLIN, 0};
		}
		if (errp[0] >= 0) {
			ierr = nf;
			fds[nf++] = (struct pollfd){errp[0], POLLIN, 0};
		}
		if (inp[1] >= 0) {
			iin = nf;
			fds[nf++] = (struct pollfd){inp[1], POLLOUT, 0};
		}
		int tmo = -1;
		if (deadline) {
			uint64_t now = now_ns();
			if (now >= deadline) {
				timed_out = 1;
				break;
			}
			tmo = (int)((deadline - now) / 1000000) + 1;
		}
		int pr = poll(fds, (nfds_t)nf, tmo);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0)
			break;
		char buf[65536];
		int idx[2] = {iout, ierr};
		int *fdp[2] = {&outp[0], &errp[0]};
		struct kbuf *dst[2] = {&out, &errb};
		for (int k = 0; k < 2; k++) {
			if (idx[k] < 0 || !(fds[idx[k]].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t n = read(*fdp[k], buf, sizeof(buf));
			if (n > 0) {
				if (dst[k]->len < EXEC_OUTPUT_MAX)
					kbuf_put(dst[k], buf, (size_t)n);
			} else if (n == 0 || errno != EINTR) {
				close(*fdp[k]);
				*fdp[k] = -1;
			}
		}
		if (iin >= 0 && (fds[iin].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t w = write(inp[1], in + in_off, nin - in_off);
			if (w > 0)
				in_off += (size_t)w;
			if (w < 0 && errno != EAGAIN && errno != EINTR)
				in_off = nin;
			if (in_off >= nin) {
				close(inp[1]);
				inp[1] = -1;
			}
		}
	}
	if (timed_out)
		kill(-pid, SIGKILL);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (timed_out)
		kill(-pid, SIGKILL); /* its process group may outlive it */
	kbuf_reset(&a->out);
	kbuf_i32(&a->out, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	kbuf_i32(&a->out, WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	kbuf_u8(&a->out, (uint8_t)timed_out);
	kbuf_bytes(&a->out, out.data, out.len);
	kbuf_bytes(&a->out, errb.data, errb.len);
	kbuf_u64(&a->out, now_ns() - t0);
	reply_ok(a, id, &a->out);
done:
	close_pair(inp);
	close_pair(outp);
	close_pair(errp);
	kbuf_free(&out);
	kbuf_free(&errb);
	kbr_free_strs(argv);
	kbr_free_strs(env);
	free(cg);
}

struct proc *proc_find(struct agent *a, const char *name)
{
	for (size_t i = 0; i < a->nprocs; i++)
		if (strcmp(a->procs[i].name, name) == 0)
			return &a->procs[i];
	return NULL;
}

void handle_spawn(struct agent *a, uint32_t id, struct kbuf_reader *r)
{
	uint32_t nargv, nenv;
	char *name = kbr_str(r);
	char **argv = kbr_strs(r, &nargv);
	char **env = kbr_strs(r, &nenv);
	char *cg = kbr_str(r);
	char *log_path = kbr_str(r);
	int outp[2] = {-1, -1};
	if (r->err || !argv || nargv == 0 || !name || !name[0]) {
		reply_err(a, id, EINVAL, "malformed SPAWN (needs a name and argv)");
		goto done;
	}
	struct proc *old = proc_find(a, name);
	if (old && !old->exited) {
		reply_err(a, id, EEXIST, "a process named '%s' is still running", name);
		goto done;
	}
	char cgabs[600] = "";
	if (cg[0] && cg_path(a, cg, cgabs, sizeof(cgabs))) {
		reply_err(a, id, EINVAL, "bad cgroup path '%s'", cg);
		goto done;
	}
	int out_fd;
	if (log_path[0]) {
		out_fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (out_fd < 0) {
			reply_err(a, id, errno, "open %s: %s", log_path, strerror(errno));
			goto done;
		}
	} else {
		if (pipe2(outp, O_CLOEXEC)) {
			reply_err(a, id, errno, "pipe: %s", strerror(errno));
			goto done;
		}
		out_fd = outp[1];
	}
	int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	char msg[512];
	pid_t pid = spawn_process(argv, env, cgabs, devnull, out_fd, out_fd, 0, msg, sizeof(msg));
	if (devnull >= 0)
		close(devnull);
	if (log_path[0])
		close(out_fd);
	else
		close(outp[1]);
	outp[1] = -1;
	if (pid < 0) {
		reply_err(a, id, errno ? errno : ENOENT, "%s", msg);
		goto done;
	}
	struct proc *p = old;
	if (!p) {
		struct proc *n = realloc(a->procs, (a->nprocs + 1) * sizeof(*n));
		if (!n) {
			kill(pid, SIGKILL);
			reply_err(a, id, ENOMEM, "out of memory");
			goto done;
		}
		a->procs = n;
		p = &a->procs[a->nprocs++];
		memset(p, 0, sizeof(*p));
		p->name = name;
		name = NULL;
	} else {
		capture_free(&p->out);
	}
	p->pid = pid;
	p->exited = 0;
	p->exit_code = p->term_signal = 0;
	if (outp[0] >= 0) {
		capture_start(&p->out, outp[0]);
		outp[0] = -1;
	} else {
		p->out.fd = -1;
	}
	kbuf_reset(&a->out);
	kbuf_i32(&a->out, pid);
	reply_ok(a, id, &a->out);
done:
	close_pair(outp);
	free(name);
	kbr_free_strs(argv);
	kbr_free_strs(env);
	free(cg);
	free(log_path);
}

void handle_signal(struct agent *a, uint32_t id, struct kbuf_reader *r)
{
	char *name = kbr_str(r);
	int32_t sig = kbr_i32(r);
	struct proc *p = name ? proc_find(a, name) : NULL;
	if (r->err)
		reply_err(a, id, EINVAL, "malformed SIGNAL");
	else if (!p)
		reply_err(a, id, ESRCH, "no process named '%s'", name);
	else if (p->exited)
		reply_err(a, id, ESRCH, "process '%s' already exited", name);
	else if (kill(-p->pid, sig) != 0 && kill(p->pid, sig) != 0)
		reply_err(a, id, errno, "kill %s (%d): %s", name, (int)p->pid, strerror(errno));
	else {
		kbuf_reset(&a->out);
		reply_ok(a, id, &a->out);
	}
	free(name);
}

void handle_wait(struct agent *a, uint32_t id, struct kbuf_reader *r)
{
	char *name = kbr_str(r);
	uint32_t timeout_ms = kbr_u32(r);
	if (r->err) {
		free(name);
		reply_err(a, id, EINVAL, "malformed WAIT");
		return;
	}
	if (!proc_find(a, name)) {
		reply_err(a, id, ESRCH, "no process named '%s'", name);
		free(name);
		return;
	}
	pending_add(a, (struct pending){.kind = PEND_WAIT, .id = id, .name = name,
			.deadline_ns = timeout_ms ? now_ns() + (uint64_t)timeout_ms * 1000000ull : 0});
}

void handle_shell(struct agent *a, uint32_t id, struct kbuf_reader *r)
{
	uint32_t nargv, nenv;
	char *tty = kbr_str(r);
	char **argv = kbr_strs(r, &nargv);
	char **env = kbr_strs(r, &nenv);
	if (r->err || !argv || nargv == 0) {
		reply_err(a, id, EINVAL, "malformed SHELL");
		goto done;
	}
	if (a->shell_pid) {
		reply_err(a, id, EBUSY, "a shell is already running");
		goto done;
	}
	int fd = open(tty, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		reply_err(a, id, errno, "open %s: %s", tty, strerror(errno));
		goto done;
	}
	char msg[512];
	pid_t pid = spawn_process(argv, env, NULL, fd, fd, fd, 1, msg, sizeof(msg));
	close(fd);
	if (pid < 0) {
		reply_err(a, id, errno ? errno : ENOENT, "%s", msg);
		goto done;
	}
	a->shell_pid = pid;
	pending_add(a, (struct pending){.kind = PEND_SHELL, .id = id, .pid = pid});
done:
	free(tty);
	kbr_free_strs(argv);
	kbr_free_strs(env);
}

static void shell_exited(struct agent *a, int status)
{
	kbuf_reset(&a->out);
	kbuf_i32(&a->out, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	kbuf_i32(&a->out, WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	for (size_t i = 0; i < a->npend; i++)
		if (a->pend[i].kind == PEND_SHELL)
			reply_ok(a, a->pend[i].id, &a->out);
	a->shell_pid = 0;
}

void reap_children(struct agent *a)
{
	for (;;) {
		/* Look at the next exited child before reaping it: a Custom worker's CPU time and
		 * schedstat are only readable from /proc while it is a zombie. */
		siginfo_t si;
		memset(&si, 0, sizeof(si));
		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) != 0 || si.si_pid <= 0)
			return;
		kw_note_child_exiting(si.si_pid);
		int status;
		pid_t pid = waitpid(si.si_pid, &status, WNOHANG);
		if (pid <= 0)
			return;
		if (kw_note_child_exit(pid, status))
			continue;
		if (a->sched.pid == pid && a->sched.running) {
			sched_note_exit(a, status);
			continue;
		}
		if (pid == a->shell_pid) {
			shell_exited(a, status);
			continue;
		}
		for (size_t i = 0; i < a->nprocs; i++) {
			struct proc *p = &a->procs[i];
			if (p->pid != pid || p->exited)
				continue;
			p->exited = 1;
			p->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
			p->term_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
			kbuf_reset(&a->out);
			kbuf_str(&a->out, p->name);
			kbuf_i32(&a->out, pid);
			kbuf_i32(&a->out, p->exit_code);
			kbuf_i32(&a->out, p->term_signal);
			send_event(a, KTSTR_MSG_EV_PROC_EXIT, &a->out);
		}
	}
}

void procs_cleanup(struct agent *a)
{
	for (size_t i = 0; i < a->nprocs; i++) {
		struct proc *p = &a->procs[i];
		if (!p->exited) {
			kill(-p->pid, SIGKILL);
			kill(p->pid, SIGKILL);
			waitpid(p->pid, NULL, 0);
		}
		capture_free(&p->out);
		free(p->name);
	}
	free(a->procs);
	a->procs = NULL;
	a->nprocs = 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* The agent's state and the entry points of its modules. One agent per guest (or host run). */
#ifndef KTSTR_AGENT_H
#define KTSTR_AGENT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ktstr_buf.h"
#include "ktstr_wire.h"

struct chan;
struct kw_group;

/* Keeps the first and the last bytes of a process's output. */
struct capture {
	int fd;            /* read end of the pipe, -1 once closed */
	char *head;        /* first CAPTURE_HEAD bytes */
	size_t head_len;
	char *tail;        /* ring of the last CAPTURE_TAIL bytes */
	size_t tail_pos;   /* total bytes that went into the tail ring */
	uint64_t total;
};
#define CAPTURE_HEAD (256u << 10)
#define CAPTURE_TAIL (4u << 20)

/* A named background process (payload). */
struct proc {
	char *name;
	pid_t pid;
	int exited;
	int exit_code;
	int term_signal;
	struct capture out;
};

/* A reply the agent owes once something happens (a process exits, sched_ext attaches, a deadline). */
enum pending_kind { PEND_WAIT, PEND_SCHED_ATTACH, PEND_SCHED_STOP, PEND_SHELL };
struct pending {
	enum pending_kind kind;
	uint32_t id;
	uint64_t deadline_ns; /* CLOCK_MONOTONIC; 0 = none */
	char *name;           /* PEND_WAIT: process name */
	pid_t pid;            /* PEND_SHELL */
	int killed;           /* PEND_SCHED_STOP: SIGKILL already sent */
};

struct sched {
	pid_t pid;            /* 0 when never started */
	int running;
	int exit_code;
	int term_signal;
	int stopping;         /* a SCHED_STOP is in progress: its exit is expected */
	char expect_ops[128];
	struct capture out;
};

struct agent {
	struct chan *chan;
	int vm;               /* PID 1 in a VM */
	char cg_root[512];    /* the agent's cgroup root (absolute) */
	char cg_drain[512];   /* where tasks go before a cgroup is removed */
	char cg_unavailable[512]; /* non-empty: why cgroup requests cannot work on this system */
	int sigfd;
	int kmsg_fd;
	struct kw_group **groups;
	size_t ngroups;
	struct proc *procs;
	size_t nprocs;
	struct pending *pend;
	size_t npend;
	struct sched sched;
	struct kbuf out;      /* scratch for replies */
	int shell_pid;
};

uint64_t now_ns(void);

/* rpc.c */
void rpc_dispatch(struct agent *a, const struct ktstr_msg_hdr *h, const uint8_t *payload);
int reply_ok(struct agent *a, uint32_t id, const struct kbuf *payload);
int reply_err(struct agent *a, uint32_t id, int err, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int send_event(struct agent *a, uint16_t type, const struct kbuf *payload);
void pending_add(struct agent *a, struct pending p);
/* Re-evaluates pending replies; returns the poll timeout in ms (-1 = none needed). */
int pending_tick(struct agent *a);

/* cgroup.c */
int cg_setup(struct agent *a, const char *root, char *err, size_t errlen);
/* Resolves a path relative to the root; rejects ".." and absolute paths. */
int cg_path(const struct agent *a, const char *rel, char *out, size_t outlen);
int cg_create(struct agent *a, const char *rel, char *err, size_t errlen);
int cg_remove(struct agent *a, const char *rel, char *err, size_t errlen);
int cg_set_cpuset(struct agent *a, const char *rel, const char *cpus, const char *mems, char *err, size_t errlen);
int cg_move_all(struct agent *a, const char *from, const char *to, uint32_t *moved, char *err, size_t errlen);
int cg_write(struct agent *a, const char *rel, const char *file, const char *value, char *err, size_t errlen);
int cg_move_pid(struct agent *a, const char *rel, pid_t pid, char *err, size_t errlen);
/* Writes a cgroupfs file from a helper thread with a timeout: a broken scheduler can make such
 * writes block forever, and the agent must keep answering. Returns 0 or an errno. */
int cg_write_file(const char *path, const char *value, int timeout_ms);
/* Removes everything under the root (end of a run). */
void cg_cleanup(struct agent *a);

/* procs.c */
int capture_start(struct capture *c, int fd);
/* Reads what is available; returns 0, or 1 at EOF (fd closed). */
int capture_read(struct capture *c);
/* Head + "[... N bytes omitted ...]" + tail, up to `max` bytes. */
void capture_put(const struct capture *c, struct kbuf *b, size_t max);
void capture_free(struct capture *c);
/* fork+exec with stdin/stdout/stderr wired; child placed in cgroup_abs if non-NULL. */
pid_t spawn_process(char *const argv[], char *const env[], const char *cgroup_abs, int in_fd, int out_fd,
		    int err_fd, int new_session, char *err, size_t errlen);
void handle_exec(struct agent *a, uint32_t id, struct kbuf_reader *r);
void handle_spawn(struct agent *a, uint32_t id, struct kbuf_reader *r);
void handle_signal(struct agent *a, uint32_t id, struct kbuf_reader *r);
void handle_wait(struct agent *a, uint32_t id, struct kbuf_reader *r);
void handle_shell(struct agent *a, uint32_t id, struct kbuf_reader *r);
struct proc *proc_find(struct agent *a, const char *name);
/* Reaps every exited child and routes each status to its owner. */
void reap_children(struct agent *a);
/* Kills and reaps everything the agent started (end of a run). */
void procs_cleanup(struct agent *a);

/* sched.c */
void handle_sched_start(struct agent *a, uint32_t id, struct kbuf_reader *r);
void handle_sched_status(struct agent *a, uint32_t id, struct kbuf_reader *r);
void handle_sched_stop(struct agent *a, uint32_t id, struct kbuf_reader *r);
void sched_note_exit(struct agent *a, int status);
/* Pending attach/stop evaluation; returns 1 when the pending reply was sent. */
int sched_attach_tick(struct agent *a, const struct pending *p);
int sched_stop_tick(struct agent *a, struct pending *p);
void sched_read_state(char *state, size_t slen, char *ops, size_t olen);
int kmsg_open(void);
void kmsg_read(struct agent *a);

/* workers.c (the agent side of the W_* requests) */
void handle_w_spawn(struct agent *a, uint32_t id, struct kbuf_reader *r);
void handle_w_start(struct agent *a, uint32_t id, struct kbuf_reader *r);
void handle_w_stop(struct agent *a, uint32_t id, struct kbuf_reader *r);
void handle_w_affinity(struct agent *a, uint32_t id, struct kbuf_reader *r);
void handle_w_iters(struct agent *a, uint32_t id, struct kbuf_reader *r);
void handle_w_move(struct agent *a, uint32_t id, struct kbuf_reader *r);
void workers_cleanup(struct agent *a);

/* init.c (VM mode only) */
int vm_init(char *err, size_t errlen);
/* Whether the kernel command line holds `word` as a whole parameter (or `word=...`). */
int cmdline_has(const char *word);
/* Parses `ktstr.shm=0xGPA,0xSIZE` from the kernel command line. Returns 0 when found. */
int cmdline_shm(uint64_t *gpa, uint64_t *size);
void vm_poweroff(void);

#endif

// SPDX-License-Identifier: Apache-2.0
/*
 * Worker group lifecycle (ktstr facts §4.4): the two-phase start, setup applied before the gate,
 * the stop deadline and sentinel reports (timed out, signalled, exited, reaped by the agent),
 * affinity changes, setup failures, and that nothing is left behind: no child, no process of a
 * worker's group, no file descriptor.
 */
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>

#include "test_work_util.h"

#define DEADLINE_NS (5000000000ULL)

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;
	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* Live processes (any parent; zombies are dead and up to their new parent to reap) whose process
 * group is pgid. */
static int count_pgrp(pid_t pgid)
{
	DIR *d = opendir("/proc");
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d))) {
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
		int pgrp;
		char state;
		if (p && sscanf(p + 1, " %c %*d %d", &state, &pgrp) == 2 && pgrp == pgid && state != 'Z')
			n++;
	}
	if (d)
		closedir(d);
	return n;
}

/* SIGKILLed processes still have to run to exit: waits up to 2 s for the group to empty. */
static int settle_pgrp(pid_t pgid)
{
	int n = count_pgrp(pgid);
	for (int i = 0; i < 200 && n > 0; i++) {
		tw_sleep_ms(10);
		n = count_pgrp(pgid);
	}
	return n;
}

/* Field n (1-based, n >= 3) of /proc/<pid>/stat as a string. */
static int stat_field(pid_t pid, int n, char *out, size_t cap)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t len = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[len] = 0;
	char *p = strrchr(buf, ')');
	if (!p)
		return -1;
	p += 2;
	for (int i = 3; i < n; i++) {
		p = strchr(p, ' ');
		if (!p)
			return -1;
		p++;
	}
	size_t k = strcspn(p, " ");
	if (k >= cap)
		return -1;
	memcpy(out, p, k);
	out[k] = 0;
	return 0;
}

/* Waits (up to 5 s: the host may be busy) until worker 0's counter reaches `want`. */
static int wait_iterations(struct kw_group *g, uint64_t *it, uint64_t want)
{
	for (int i = 0; i < 500; i++) {
		kw_group_iterations(g, it);
		if (it[0] >= want)
			return 1;
		tw_sleep_ms(10);
	}
	return 0;
}

static struct kw_group *spawn(struct kw_group_spec s)
{
	char *err = NULL;
	struct kw_group *g = kw_group_spawn(&s, &err);
	CHECK(g != NULL, "spawn: %s", err ? err : "?");
	free(err);
	return g;
}

static void test_two_phase_start(void)
{
	struct kw_group *g = spawn(tw_spec(1, KW_CPU_SPIN, 2, 0, NULL));
	if (!g)
		return;
	uint64_t it[2];
	tw_sleep_ms(200);
	kw_group_iterations(g, it);
	CHECK(it[0] == 0 && it[1] == 0, "no iterations before start: %llu %llu", (unsigned long long)it[0],
	      (unsigned long long)it[1]);
	char state[8];
	CHECK(stat_field(kw_group_pid(g, 0), 3, state, sizeof(state)) == 0 && state[0] == 'S',
	      "blocked on the gate: state %s", state);
	char pgrp[16], pid[16];
	snprintf(pid, sizeof(pid), "%d", (int)kw_group_pid(g, 1));
	CHECK(stat_field(kw_group_pid(g, 1), 5, pgrp, sizeof(pgrp)) == 0 && !strcmp(pgrp, pid),
	      "own process group: %s vs %s", pgrp, pid);
	CHECK(kw_group_start(g) == 0, "start");
	CHECK(kw_group_start(g) < 0, "a second start fails");
	for (int i = 0; i < 500 && (it[0] == 0 || it[1] == 0); i++) {
		tw_sleep_ms(10);
		kw_group_iterations(g, it);
	}
	CHECK(it[0] > 0 && it[1] > 0, "iterations after start");
	static struct kw_report r[2];
	CHECK(kw_group_stop(g, kw_now_ns() + DEADLINE_NS, r) == 0, "stop");
	CHECK(kw_group_stop(g, kw_now_ns() + DEADLINE_NS, r) < 0, "a second stop fails");
	for (int i = 0; i < 2; i++)
		CHECK(r[i].exit_kind == KW_EXIT_OK && r[i].iterations >= it[i], "report %d covers the counter", i);
	kw_group_free(g);
}

static void test_setup_before_gate(void)
{
	struct kw_group_spec s = tw_spec(2, KW_CPU_SPIN, 2, 0, NULL);
	char *aff[] = { "1", "", NULL };
	cpu_set_t all;
	CHECK(sched_getaffinity(0, sizeof(all), &all) == 0, "sched_getaffinity");
	int two = CPU_COUNT(&all) >= 2 && CPU_ISSET(1, &all);
	if (two)
		s.affinity = aff;
	s.policy = KW_POLICY_BATCH;
	s.nice = 5;
	struct kw_group *g = spawn(s);
	if (!g)
		return;
	char nice[16], policy[16];
	pid_t p0 = kw_group_pid(g, 0);
	CHECK(stat_field(p0, 19, nice, sizeof(nice)) == 0 && !strcmp(nice, "5"), "nice 5 before start: %s", nice);
	CHECK(stat_field(p0, 41, policy, sizeof(policy)) == 0 && atoi(policy) == SCHED_BATCH, "BATCH: %s", policy);
	if (two) {
		cpu_set_t got;
		CHECK(sched_getaffinity(p0, sizeof(got), &got) == 0 && CPU_COUNT(&got) == 1 && CPU_ISSET(1, &got),
		      "worker 0 pinned to CPU 1 before start");
		CHECK(sched_getaffinity(kw_group_pid(g, 1), sizeof(got), &got) == 0 && CPU_EQUAL(&got, &all),
		      "worker 1 inherits");
	}
	CHECK(kw_group_start(g) == 0, "start");
	CHECK(tw_wait_started(g), "both workers iterate within 5 s");
	static struct kw_report r[2];
	CHECK(kw_group_stop(g, kw_now_ns() + DEADLINE_NS, r) == 0, "stop");
	if (two)
		CHECK(r[0].exit_kind == KW_EXIT_OK && !strcmp(r[0].cpus_used, "1") && r[0].migration_count == 0,
		      "ran on CPU 1 only: \"%s\" (exit kind %u, signal %d)", r[0].cpus_used, r[0].exit_kind,
		      r[0].term_signal);
	kw_group_free(g);
}

static void test_stop_before_start(void)
{
	struct kw_group *g = spawn(tw_spec(3, KW_PIPE_IO, 2, 0, NULL));
	if (!g)
		return;
	static struct kw_report r[2];
	CHECK(kw_group_stop(g, kw_now_ns() + DEADLINE_NS, r) == 0, "stop");
	for (int i = 0; i < 2; i++)
		CHECK(r[i].exit_kind == KW_EXIT_OK && r[i].iterations == 0 && !r[i].completed,
		      "empty report %d: kind %u it %llu", i, r[i].exit_kind, (unsigned long long)r[i].iterations);
	kw_group_free(g);
	/* a Custom program stopped at the gate never runs */
	char *argv[] = { "/bin/sh", "-c", "exit 7", NULL };
	struct kw_group_spec c = tw_spec(31, KW_CUSTOM, 1, 0, NULL);
	c.custom_argv = argv;
	g = spawn(c);
	if (g) {
		CHECK(kw_group_stop(g, kw_now_ns() + DEADLINE_NS, r) == 0, "stop");
		CHECK(r[0].exit_kind == KW_EXIT_OK && r[0].exit_code == 0 && !r[0].completed && r[0].wall_time_ns == 0,
		      "Custom stopped before start: kind %u code %d", r[0].exit_kind, r[0].exit_code);
		kw_group_free(g);
	}
	/* freed without start or stop: killed and reaped */
	g = spawn(tw_spec(4, KW_CPU_SPIN, 3, 0, NULL));
	kw_group_free(g);
}

static void test_deadline_stopped_worker(void)
{
	struct kw_group *g = spawn(tw_spec(5, KW_CPU_SPIN, 2, 0, NULL));
	if (!g)
		return;
	CHECK(kw_group_start(g) == 0, "start");
	tw_sleep_ms(100);
	CHECK(kill(kw_group_pid(g, 1), SIGSTOP) == 0, "SIGSTOP");
	tw_sleep_ms(50);
	static struct kw_report r[2];
	uint64_t t0 = kw_now_ns();
	CHECK(kw_group_stop(g, t0 + 300000000ULL, r) == 0, "stop");
	uint64_t took = kw_now_ns() - t0;
	CHECK(took >= 250000000ULL && took < 3000000000ULL, "stop waited for the deadline: %llu ns",
	      (unsigned long long)took);
	CHECK(r[0].exit_kind == KW_EXIT_OK, "worker 0 reported");
	CHECK(r[1].exit_kind == KW_EXIT_TIMED_OUT && r[1].term_signal == SIGKILL && r[1].pid == kw_group_pid(g, 1),
	      "worker 1 TIMED_OUT: kind %u sig %d", r[1].exit_kind, r[1].term_signal);
	CHECK(r[1].group_id == 5 && r[1].index == 1 && r[1].iterations == 0 && r[1].max_gap_cpu == -1,
	      "sentinel fields");
	kw_group_free(g);
}

static void test_deadline_custom_ignores_usr1(void)
{
	char *argv[] = { "/bin/sh", "-c", "trap '' USR1; while :; do sleep 0.05; done", NULL };
	struct kw_group_spec s = tw_spec(6, KW_CUSTOM, 1, 0, NULL);
	s.custom_argv = argv;
	struct kw_group *g = spawn(s);
	if (!g)
		return;
	pid_t pid = kw_group_pid(g, 0);
	CHECK(kw_group_start(g) == 0, "start");
	int members = 0;
	for (int i = 0; i < 200 && members < 2; i++) {
		members = count_pgrp(pid);
		tw_sleep_ms(10);
	}
	CHECK(members >= 2, "the shell and its sleep share the worker's group");
	static struct kw_report r;
	CHECK(kw_group_stop(g, kw_now_ns() + 300000000ULL, &r) == 0, "stop");
	CHECK(r.exit_kind == KW_EXIT_TIMED_OUT && r.term_signal == SIGKILL, "TIMED_OUT: kind %u sig %d", r.exit_kind,
	      r.term_signal);
	CHECK(r.wall_time_ns >= 300000000ULL && r.schedstat_run_count > 0, "measured from outside: wall %llu",
	      (unsigned long long)r.wall_time_ns);
	kw_group_free(g);
	members = settle_pgrp(pid);
	CHECK(members == 0, "nothing of the worker's group survives: %d", members);
}

static void test_killed_mid_run(void)
{
	struct kw_group *g = spawn(tw_spec(7, KW_YIELD_HEAVY, 3, 0, NULL));
	if (!g)
		return;
	CHECK(kw_group_start(g) == 0, "start");
	tw_sleep_ms(100);
	CHECK(kill(kw_group_pid(g, 1), SIGKILL) == 0, "SIGKILL");
	CHECK(kill(kw_group_pid(g, 2), SIGSEGV) == 0, "SIGSEGV");
	tw_sleep_ms(100);
	static struct kw_report r[3];
	CHECK(kw_group_stop(g, kw_now_ns() + DEADLINE_NS, r) == 0, "stop");
	CHECK(r[0].exit_kind == KW_EXIT_OK, "worker 0 reported");
	CHECK(r[1].exit_kind == KW_EXIT_SIGNALED && r[1].term_signal == SIGKILL, "worker 1 SIGNALED 9: %u %d",
	      r[1].exit_kind, r[1].term_signal);
	CHECK(r[2].exit_kind == KW_EXIT_SIGNALED && r[2].term_signal == SIGSEGV, "worker 2 SIGNALED 11: %u %d",
	      r[2].exit_kind, r[2].term_signal);
	kw_group_free(g);
}

/* The agent reaps unknown children itself and tells the worker module first. */
static void test_reaped_by_agent(void)
{
	struct kw_group *g = spawn(tw_spec(8, KW_CPU_SPIN, 2, 0, NULL));
	if (!g)
		return;
	CHECK(kw_group_start(g) == 0, "start");
	pid_t victim = kw_group_pid(g, 0);
	CHECK(kill(victim, SIGTERM) == 0, "SIGTERM");
	int st, noted = 0;
	uint64_t until = kw_now_ns() + 2000000000ULL;
	while (!noted && kw_now_ns() < until) {
		pid_t p = waitpid(-1, &st, WNOHANG);
		if (p > 0)
			noted = kw_note_child_exit(p, st) && p == victim;
		else
			tw_sleep_ms(5);
	}
	CHECK(noted, "kw_note_child_exit claimed the worker");
	CHECK(kw_note_child_exit(victim, st) == 0, "a reaped worker is not claimed twice");
	CHECK(kw_note_child_exit(1, 0) == 0, "an unknown pid is not claimed");
	static struct kw_report r[2];
	CHECK(kw_group_stop(g, kw_now_ns() + DEADLINE_NS, r) == 0, "stop");
	CHECK(r[0].exit_kind == KW_EXIT_SIGNALED && r[0].term_signal == SIGTERM, "status from the agent: %u %d",
	      r[0].exit_kind, r[0].term_signal);
	CHECK(r[1].exit_kind == KW_EXIT_OK, "worker 1 reported");
	kw_group_free(g);

	/* A Custom program that ends by itself is reaped by the agent's loop, which first lets the
	 * module read its CPU time while it is a zombie (as agent/procs.c reap_children does). */
	char *argv[] = { "/bin/sh", "-c", "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done", NULL };
	struct kw_group_spec cs = tw_spec(32, KW_CUSTOM, 1, 0, NULL);
	cs.custom_argv = argv;
	g = spawn(cs);
	if (!g)
		return;
	pid_t prog = kw_group_pid(g, 0);
	CHECK(kw_group_start(g) == 0, "start");
	noted = 0;
	until = kw_now_ns() + 5000000000ULL;
	while (!noted && kw_now_ns() < until) {
		siginfo_t si;
		memset(&si, 0, sizeof(si));
		if (waitid(P_PID, (id_t)prog, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == prog) {
			kw_note_child_exiting(prog);
			noted = waitpid(prog, &st, 0) == prog && kw_note_child_exit(prog, st);
		} else {
			tw_sleep_ms(5);
		}
	}
	CHECK(noted, "the program ended and was reaped by the agent's loop");
	static struct kw_report c;
	CHECK(kw_group_stop(g, kw_now_ns() + DEADLINE_NS, &c) == 0, "stop");
	CHECK(c.exit_kind == KW_EXIT_OK && c.completed && c.exit_code == 0, "ended by itself: kind %u code %d",
	      c.exit_kind, c.exit_code);
	CHECK(c.cpu_time_ns > 0 && c.schedstat_run_count > 0 && c.cpu_time_ns <= c.wall_time_ns,
	      "measured before the reap: cpu %llu ns, runs %llu, wall %llu ns", (unsigned long long)c.cpu_time_ns,
	      (unsigned long long)c.schedstat_run_count, (unsigned long long)c.wall_time_ns);
	kw_group_free(g);
}

static void test_custom_exit_codes(void)
{
	char *argv[] = { "/bin/sh", "-c", "exit 3", NULL };
	struct kw_group_spec s = tw_spec(9, KW_CUSTOM, 1, 0, NULL);
	s.custom_argv = argv;
	struct kw_report *r = tw_run_window(&s, 0, TW_UNTIL_EXITED);
	if (r)
		CHECK(r->exit_kind == KW_EXIT_EXITED && r->exit_code == 3 && r->completed, "EXITED 3: %u %d",
		      r->exit_kind, r->exit_code);
	free(r);
	char *argv2[] = { "/bin/sh", "-c", "kill -TERM $$", NULL };
	s.custom_argv = argv2;
	r = tw_run_window(&s, 0, TW_UNTIL_EXITED);
	if (r)
		CHECK(r->exit_kind == KW_EXIT_SIGNALED && r->term_signal == SIGTERM, "SIGNALED 15: %u %d", r->exit_kind,
		      r->term_signal);
	free(r);
}

static void test_setup_failures(void)
{
	struct kw_group_spec s = tw_spec(10, KW_CPU_SPIN, 3, 0, NULL);
	s.mempolicy = KW_MPOL_BIND;
	s.mem_nodes = "1000";
	char *err = NULL;
	struct kw_group *g = kw_group_spawn(&s, &err);
	CHECK(!g && err && strstr(err, "set_mempolicy failed"), "bind to node 1000: %s", err ? err : "(spawned)");
	free(err);
	kw_group_free(g);

	s = tw_spec(11, KW_CPU_SPIN, 2, 0, NULL);
	char *aff[] = { "0", "1000", NULL };
	s.affinity = aff;
	err = NULL;
	g = kw_group_spawn(&s, &err);
	CHECK(!g && err && strstr(err, "worker 1") && strstr(err, "sched_setaffinity failed"), "CPU 1000: %s",
	      err ? err : "(spawned)");
	free(err);
	kw_group_free(g);

	s = tw_spec(12, KW_PIPE_IO, 3, 0, NULL);
	err = NULL;
	g = kw_group_spawn(&s, &err);
	CHECK(!g && err && strstr(err, "divisible by 2"), "invalid spec: %s", err ? err : "(spawned)");
	free(err);
	kw_group_free(g);
}

static void test_set_affinity(void)
{
	cpu_set_t all;
	CHECK(sched_getaffinity(0, sizeof(all), &all) == 0, "sched_getaffinity");
	if (CPU_COUNT(&all) < 2 || !CPU_ISSET(0, &all) || !CPU_ISSET(1, &all)) {
		fprintf(stderr, "  (needs CPUs 0 and 1)\n");
		return;
	}
	struct kw_group *g = spawn(tw_spec(13, KW_CPU_SPIN, 2, 0, NULL));
	if (!g)
		return;
	CHECK(kw_group_start(g) == 0, "start");
	uint64_t it[2] = { 0, 0 };
	CHECK(wait_iterations(g, it, 1), "worker 0 runs");
	char *cpus[] = { "1", "", NULL };
	char *err = NULL;
	CHECK(kw_group_set_affinity(g, cpus, 2, &err) == 0, "set: %s", err);
	free(err);
	cpu_set_t got;
	CHECK(sched_getaffinity(kw_group_pid(g, 0), sizeof(got), &got) == 0 && CPU_COUNT(&got) == 1 &&
		      CPU_ISSET(1, &got),
	      "worker 0 on CPU 1");
	CHECK(sched_getaffinity(kw_group_pid(g, 1), sizeof(got), &got) == 0 && CPU_EQUAL(&got, &all),
	      "\"\" = all CPUs");
	err = NULL;
	CHECK(kw_group_set_affinity(g, cpus, 1, &err) < 0 && err && strstr(err, "1 CPU lists for 2"), "count: %s", err);
	free(err);
	char *bad[] = { "x", "0", NULL };
	err = NULL;
	CHECK(kw_group_set_affinity(g, bad, 2, &err) < 0 && err && strstr(err, "bad CPU list"), "list: %s", err);
	free(err);
	CHECK(wait_iterations(g, it, it[0] + 100), "worker 0 runs on");
	static struct kw_report r[2];
	CHECK(kw_group_stop(g, kw_now_ns() + DEADLINE_NS, r) == 0, "stop");
	CHECK(r[0].exit_kind == KW_EXIT_OK && strchr(r[0].cpus_used, '1') != NULL, "worker 0 seen on CPU 1: %s (kind %u code %d sig %d it %llu)", r[0].cpus_used, r[0].exit_kind, r[0].exit_code, r[0].term_signal, (unsigned long long)r[0].iterations);
	kw_group_free(g);
}

/*
 * A W_STOP of several groups signals them all before collecting any: a group collected after a
 * slow one (here a Custom program that ignores the stop and is only killed at the deadline) was
 * stopped at the request, not when its own collection began.
 */
static void test_groups_stop_together(void)
{
	char *argv[] = { "/bin/sh", "-c", "trap '' USR1; while :; do sleep 0.05; done", NULL };
	struct kw_group_spec cs = tw_spec(30, KW_CUSTOM, 1, 0, NULL);
	cs.custom_argv = argv;
	struct kw_group *a = spawn(tw_spec(14, KW_FORK_EXIT, 2, 0, NULL));
	struct kw_group *slow = spawn(cs);
	struct kw_group *b = spawn(tw_spec(15, KW_FUTEX_PING_PONG, 2, 0, NULL));
	if (!a || !slow || !b) {
		kw_group_free(a);
		kw_group_free(slow);
		kw_group_free(b);
		return;
	}
	uint64_t t_start = kw_now_ns();
	CHECK(kw_group_start(a) == 0 && kw_group_start(slow) == 0 && kw_group_start(b) == 0, "start");
	CHECK(tw_wait_started(a) && tw_wait_started(b), "workers iterate within 5 s");
	tw_sleep_ms(100);
	pid_t pa = kw_group_pid(a, 0);
	uint64_t t_req = kw_now_ns();
	kw_group_request_stop(a);
	kw_group_request_stop(slow);
	kw_group_request_stop(b);
	static struct kw_report ra[2], rs[1], rb[2];
	uint64_t wait_ns = 2000000000ULL;
	CHECK(kw_group_stop(a, t_req + wait_ns, ra) == 0 && kw_group_stop(slow, t_req + wait_ns, rs) == 0 &&
		      kw_group_stop(b, t_req + wait_ns, rb) == 0,
	      "stop");
	CHECK(kw_now_ns() - t_req >= wait_ns, "the slow group held the collection until the deadline");
	CHECK(rs[0].exit_kind == KW_EXIT_TIMED_OUT, "the program ignoring the stop timed out: kind %u", rs[0].exit_kind);
	for (int i = 0; i < 2; i++) {
		CHECK(ra[i].exit_kind == KW_EXIT_OK && rb[i].exit_kind == KW_EXIT_OK && ra[i].children > 0,
		      "both reported: %u %u", ra[i].exit_kind, rb[i].exit_kind);
		/* stopped at the request: well before the end of the slow group's 2 s */
		CHECK(rb[i].wall_time_ns < t_req - t_start + wait_ns / 2, "group b worker %d: wall %.0f ms, request at +%.0f ms",
		      i, rb[i].wall_time_ns / 1e6, (t_req - t_start) / 1e6);
	}
	kw_group_free(a);
	kw_group_free(slow);
	kw_group_free(b);
	CHECK(settle_pgrp(pa) == 0, "no ForkExit child left");
}

/* Memory policy applied before the gate, and NUMA placement measured after the loop. */
static void test_mempolicy_placement(void)
{
	uint64_t p[] = { 8192, 4096 }; /* a page per step: all 2048 pages of 8 MiB in two rounds */
	struct kw_group_spec s = tw_spec(17, KW_CACHE_PRESSURE, 1, 2, p);
	DIR *d = opendir("/sys/devices/system/node/node1");
	int two_nodes = d != NULL;
	if (d)
		closedir(d);
	s.mempolicy = KW_MPOL_BIND;
	s.mem_nodes = two_nodes ? "1" : "0";
	struct kw_report *r = tw_run(&s, 300);
	if (!r)
		return;
	uint32_t node = two_nodes ? 1 : 0;
	CHECK(r->exit_kind == KW_EXIT_OK && r->nnodes > node && r->pages_on_node[node] >= 2048,
	      "pages on node %u: %llu of nnodes %u", node, (unsigned long long)(r->nnodes > node ? r->pages_on_node[node] : 0),
	      r->nnodes);
	if (two_nodes)
		CHECK(r->pages_on_node[1] > 4 * r->pages_on_node[0], "bound to node 1: %llu vs %llu on node 0",
		      (unsigned long long)r->pages_on_node[1], (unsigned long long)r->pages_on_node[0]);
	else
		fprintf(stderr, "  (one NUMA node here: binding to node 0 only)\n");
	free(r);
}

/*
 * A stopped worker that sits in SCHED_IDLE or at nice 19 beside busy neighbours that are not being
 * stopped (here two nice -20 spinners on its CPU) would get a few millionths of the CPU and miss
 * the deadline; the stop lifts it to SCHED_OTHER at nice 0, so it reports at once.
 */
static void test_stop_lifts_idle_workers(void)
{
	struct kw_group_spec hs = tw_spec(33, KW_CPU_SPIN, 2, 0, NULL);
	char *aff[] = { "0", "0", NULL };
	hs.affinity = aff;
	hs.nice = -20;
	char *err = NULL;
	struct kw_group *hogs = kw_group_spawn(&hs, &err);
	free(err);
	if (!hogs) {
		fprintf(stderr, "  (nice -20 refused: no CAP_SYS_NICE, nothing to starve the workers with)\n");
		return;
	}
	struct kw_group_spec ws = tw_spec(34, KW_CPU_SPIN, 2, 0, NULL);
	ws.affinity = aff;
	ws.policy = KW_POLICY_IDLE;
	struct kw_group *idle = spawn(ws);
	struct kw_group_spec ns = tw_spec(35, KW_CPU_SPIN, 1, 0, NULL);
	char *aff1[] = { "0", NULL };
	ns.affinity = aff1;
	ns.nice = 19;
	struct kw_group *low = spawn(ns);
	if (!idle || !low) {
		kw_group_free(hogs);
		kw_group_free(idle);
		kw_group_free(low);
		return;
	}
	/* the starved ones first, so that they are in their loops when the hogs arrive */
	CHECK(kw_group_start(idle) == 0 && kw_group_start(low) == 0, "start");
	CHECK(tw_wait_started(idle) && tw_wait_started(low), "the workers iterate");
	CHECK(kw_group_start(hogs) == 0 && tw_wait_started(hogs), "the hogs iterate");
	tw_sleep_ms(100);
	static struct kw_report ri[2], rl[1], rh[2];
	uint64_t t0 = kw_now_ns();
	kw_group_request_stop(idle);
	kw_group_request_stop(low);
	CHECK(kw_group_stop(idle, t0 + 3000000000ULL, ri) == 0 && kw_group_stop(low, t0 + 3000000000ULL, rl) == 0,
	      "stop");
	uint64_t took = kw_now_ns() - t0;
	for (int i = 0; i < 2; i++)
		CHECK(ri[i].exit_kind == KW_EXIT_OK, "SCHED_IDLE worker %d reported: kind %u", i, ri[i].exit_kind);
	CHECK(rl[0].exit_kind == KW_EXIT_OK, "nice 19 worker reported: kind %u", rl[0].exit_kind);
	CHECK(took < 1500000000ULL, "reports within %.0f ms beside the hogs", took / 1e6);
	CHECK(kw_group_stop(hogs, kw_now_ns() + DEADLINE_NS, rh) == 0, "stop the hogs");
	kw_group_free(idle);
	kw_group_free(low);
	kw_group_free(hogs);
}

static void test_many_workers(void)
{
	struct kw_report *r = NULL;
	struct kw_group_spec s = tw_spec(16, KW_YIELD_HEAVY, 128, 0, NULL);
	uint64_t t0 = kw_now_ns();
	r = tw_run(&s, 300);
	if (!r)
		return;
	int ok = 0, ran = 0;
	for (int i = 0; i < 128; i++) {
		ok += r[i].exit_kind == KW_EXIT_OK && r[i].index == (uint32_t)i;
		ran += r[i].iterations > 0;
	}
	CHECK(ok == 128, "%d of 128 reported", ok);
	/* tw_run opened the window only once every worker had iterated */
	CHECK(ran == 128, "%d of 128 made progress", ran);
	fprintf(stderr, "  128 workers: spawn + start + 300 ms + stop + free in %.0f ms\n", (double)(kw_now_ns() - t0) / 1e6);
	free(r);
}

int main(void)
{
	int fds = count_fds();
	RUN(test_two_phase_start);
	RUN(test_setup_before_gate);
	RUN(test_stop_before_start);
	RUN(test_deadline_stopped_worker);
	RUN(test_deadline_custom_ignores_usr1);
	RUN(test_killed_mid_run);
	RUN(test_reaped_by_agent);
	RUN(test_custom_exit_codes);
	RUN(test_setup_failures);
	RUN(test_set_affinity);
	RUN(test_groups_stop_together);
	RUN(test_mempolicy_placement);
	RUN(test_stop_lifts_idle_workers);
	RUN(test_many_workers);
	tw_current = "nothing left behind";
	CHECK(tw_count_children() == 0, "children left: %d", tw_count_children());
	CHECK(count_fds() == fds, "file descriptors: %d before, %d after", fds, count_fds());
	return tw_finish("test_work_lifecycle");
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loader of ktstr_fixture (see ktstr_fixture.bpf.c): parses the topology and failure-injection
 * options, reads the CPU -> LLC map from sysfs for --llc-aware, loads and attaches the scheduler,
 * and watches it until SIGINT/SIGTERM or the scheduler's exit, then reports the kernel's exit
 * information (UEI_REPORT: "EXIT: <reason> (<message>)" and the debug dump).
 *
 * Unless --no-ctrl, a control thread prints the scheduler's counters once a second, writes them to
 * STATS_FILE (one "key=value" line per counter, replaced atomically, for tests to read through the
 * agent) and turns SIGUSR1 into a stall. With --no-ctrl there is no control thread: no counters, no
 * stats file, SIGUSR1 is ignored; the main thread still notices the scheduler's exit.
 *
 * Exit status: 0 after SIGINT/SIGTERM, the scheduler's exit code after scx_bpf_exit(), 1 on any
 * other error, 2 on bad options.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <scx/common.h>
#include "ktstr_fixture.bpf.skel.h"

#define MAX_CPUS 512
#define MAX_LLCS 64
#define STATS_FILE "/tmp/ktstr_fixture.stats"

static const char help_fmt[] =
"ktstr's fixture sched_ext scheduler: FIFO with ktstr's built-in flags, and failures on request.\n"
"\n"
"Usage: %s [options]\n"
"\n"
"  --llc-aware        one DSQ per last-level cache; a CPU consumes its own LLC's\n"
"  --steal            (needs --llc-aware) idle CPUs take work from other LLCs' DSQs\n"
"  --borrow           waking tasks may use idle CPUs of other LLCs\n"
"  --rebalance-ms MS  every MS ms move queued work from the longest to the shortest LLC DSQ\n"
"                     and kick idle CPUs that have work\n"
"  --reject-pinned    no fast path for tasks allowed on one CPU: they queue like the others\n"
"  --no-ctrl          no control thread (no counters, no " STATS_FILE ", SIGUSR1 ignored)\n"
"  --stall-after S    stop dispatching user tasks after S seconds (watchdog ejects it)\n"
"  --exit-after S     scx_bpf_exit() after S seconds with --exit-code (default 1)\n"
"  --exit-code N      exit code for --exit-after\n"
"  --error-after S    scx_bpf_error() after S seconds (the kernel ejects it)\n"
"  --unfair           20 ms slices for even pids, 0.2 ms for odd ones\n"
"  --fail-verify      also load a program the verifier rejects\n"
"  --timeout-ms MS    sched_ext watchdog timeout (ops.timeout_ms; kernel default 30000)\n"
"  --exit-dump-len N  bytes of debug dump the kernel keeps on exit (ops.exit_dump_len)\n"
"  -v                 print libbpf debug messages\n"
"  -h                 display this help and exit\n"
"\n"
"SIGUSR1 sets the .bss variable 'stall', as the host can by writing guest memory.\n";

static volatile sig_atomic_t exit_req;
static volatile sig_atomic_t stall_req;
static int verbose;

static int libbpf_print_fn(enum libbpf_print_level level, const char *format, va_list args)
{
	if (level == LIBBPF_DEBUG && !verbose)
		return 0;
	return vfprintf(stderr, format, args);
}

static void on_exit_signal(int sig)
{
	(void)sig;
	exit_req = 1;
}

static void on_stall_signal(int sig)
{
	(void)sig;
	stall_req = 1;
}

static void usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "ktstr_fixture: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	exit(2);
}

/* Seconds (fractions allowed) as nanoseconds; exits with a message on a malformed value. */
static __u64 seconds_ns(const char *opt, const char *arg)
{
	char *end;
	errno = 0;
	double s = strtod(arg, &end);
	if (errno || end == arg || *end || s < 0) {
		fprintf(stderr, "ktstr_fixture: %s wants seconds >= 0, got '%s'\n", opt, arg);
		exit(2);
	}
	return (__u64)(s * 1e9);
}

static unsigned long number(const char *opt, const char *arg)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(arg, &end, 0);
	if (errno || end == arg || *end) {
		fprintf(stderr, "ktstr_fixture: %s wants a number, got '%s'\n", opt, arg);
		exit(2);
	}
	return v;
}

/* The first line of a sysfs file, without the newline; false when it cannot be read. */
static bool read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	bool ok = fgets(buf, (int)len, f) != NULL;
	if (fclose(f) != 0)
		ok = false;
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

/*
 * The identity of @cpu's last-level cache: the shared_cpu_list of its highest-level cache that is
 * not an instruction cache (two CPUs share an LLC exactly when these lists are equal). False when
 * sysfs describes no cache for the CPU.
 */
static bool llc_identity(int cpu, char *out, size_t len)
{
	char path[128], buf[64];
	int best = -1;

	for (int idx = 0; idx < 16; idx++) {
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/cache/index%d/level", cpu, idx);
		if (!read_line(path, buf, sizeof(buf)))
			break;
		int level = atoi(buf);
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/cache/index%d/type", cpu, idx);
		if (read_line(path, buf, sizeof(buf)) && strcmp(buf, "Instruction") == 0)
			continue;
		if (level <= best)
			continue;
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/cache/index%d/shared_cpu_list", cpu, idx);
		if (read_line(path, out, len))
			best = level;
	}
	return best >= 0;
}

/*
 * Fills the CPU -> dense LLC index map from sysfs. Without cache information every CPU is in LLC
 * 0 (and a note says so). Returns the number of LLCs, or -1 with a message when there are more
 * than MAX_LLCS.
 */
static int read_llc_map(int nr_cpus, volatile __u32 *cpu_llc)
{
	static char ids[MAX_LLCS][64];
	int nr_llcs = 0;
	bool described = true;

	for (int cpu = 0; cpu < nr_cpus; cpu++) {
		char id[64];
		if (!llc_identity(cpu, id, sizeof(id))) {
			described = false;
			break;
		}
		int llc = 0;
		while (llc < nr_llcs && strcmp(ids[llc], id) != 0)
			llc++;
		if (llc == nr_llcs) {
			if (nr_llcs == MAX_LLCS) {
				fprintf(stderr, "ktstr_fixture: more than %d LLCs\n", MAX_LLCS);
				return -1;
			}
			snprintf(ids[nr_llcs++], sizeof(ids[0]), "%s", id);
		}
		cpu_llc[cpu] = (__u32)llc;
	}
	if (!described) {
		printf("note: sysfs describes no caches: every CPU is in LLC 0\n");
		for (int cpu = 0; cpu < nr_cpus; cpu++)
			cpu_llc[cpu] = 0;
		return 1;
	}
	return nr_llcs;
}

struct counter {
	const char *name;
	volatile u64 *value;
};

/* Writes the counters to STATS_FILE through a temporary file and a rename. */
static void write_stats(const struct counter *c, int n, __u32 stall)
{
	const char *tmp = STATS_FILE ".tmp";
	FILE *f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "ktstr_fixture: cannot write %s: %s\n", tmp, strerror(errno));
		return;
	}
	for (int i = 0; i < n; i++)
		fprintf(f, "%s=%llu\n", c[i].name, (unsigned long long)*c[i].value);
	fprintf(f, "stall=%u\n", stall);
	if (fclose(f) != 0 || rename(tmp, STATS_FILE) != 0)
		fprintf(stderr, "ktstr_fixture: cannot replace %s: %s\n", STATS_FILE, strerror(errno));
}

/* The control thread: counters once a second (stdout and STATS_FILE), SIGUSR1 as a stall. */
static void *control(void *arg)
{
	struct ktstr_fixture *skel = arg;
	struct ktstr_fixture__bss *b = skel->bss;
	const struct counter c[] = {
		{"enqueued", &b->nr_enqueued},		{"dispatched", &b->nr_dispatched},
		{"kthreads", &b->nr_kthreads},		{"llc_queued", &b->nr_llc_queued},
		{"direct", &b->nr_direct},
		{"borrowed", &b->nr_borrowed},		{"local", &b->nr_local},
		{"pinned_queued", &b->nr_pinned_queued}, {"steals", &b->nr_steals},
		{"kicks", &b->nr_kicks},		{"rebal_runs", &b->nr_rebal_runs},
		{"rebal_moved", &b->nr_rebal_moved},
	};
	const int n = (int)(sizeof(c) / sizeof(c[0]));
	const struct timespec tick = {.tv_sec = 0, .tv_nsec = 100 * 1000 * 1000};

	for (unsigned int t = 0; !exit_req && !UEI_EXITED(skel, uei); t++) {
		if (stall_req && !b->stall) {
			b->stall = 1;
			printf("stall requested by SIGUSR1\n");
		}
		if (t % 10 == 0) {
			for (int i = 0; i < n; i++)
				printf("%s%s=%llu", i ? " " : "", c[i].name, (unsigned long long)*c[i].value);
			printf(" stall=%u\n", b->stall);
			write_stats(c, n, b->stall);
		}
		nanosleep(&tick, NULL);
	}
	return NULL;
}

/*
 * SCX_OPS_LOAD without its complaint about fixture_fail_verify when that program is not loaded:
 * only loaded programs are associated with the struct_ops map (libbpf >= 1.7, as in SCX_OPS_LOAD).
 */
static void load(struct ktstr_fixture *skel)
{
	UEI_SET_SIZE(skel, fixture_ops, uei);
	SCX_BUG_ON(ktstr_fixture__load(skel), "Failed to load skel");
#if LIBBPF_MAJOR_VERSION > 1 || (LIBBPF_MAJOR_VERSION == 1 && LIBBPF_MINOR_VERSION >= 7)
	struct bpf_program *prog;
	bpf_object__for_each_program(prog, skel->obj) {
		if (bpf_program__type(prog) == BPF_PROG_TYPE_STRUCT_OPS || !bpf_program__autoload(prog))
			continue;
		int err = bpf_program__assoc_struct_ops(prog, skel->maps.fixture_ops, NULL);
		if (err)
			fprintf(stderr, "ERROR: Failed to associate %s with fixture_ops: %d\n",
				bpf_program__name(prog), err);
	}
#endif
}

enum {
	OPT_STALL = 256, OPT_EXIT, OPT_EXIT_CODE, OPT_ERROR, OPT_UNFAIR, OPT_FAIL_VERIFY, OPT_TIMEOUT,
	OPT_LLC, OPT_STEAL, OPT_BORROW, OPT_REBAL, OPT_REJECT_PIN, OPT_NO_CTRL, OPT_DUMP_LEN,
};

static const struct option long_opts[] = {
	{"llc-aware", no_argument, NULL, OPT_LLC},
	{"steal", no_argument, NULL, OPT_STEAL},
	{"borrow", no_argument, NULL, OPT_BORROW},
	{"rebalance-ms", required_argument, NULL, OPT_REBAL},
	{"reject-pinned", no_argument, NULL, OPT_REJECT_PIN},
	{"no-ctrl", no_argument, NULL, OPT_NO_CTRL},
	{"stall-after", required_argument, NULL, OPT_STALL},
	{"exit-after", required_argument, NULL, OPT_EXIT},
	{"exit-code", required_argument, NULL, OPT_EXIT_CODE},
	{"error-after", required_argument, NULL, OPT_ERROR},
	{"unfair", no_argument, NULL, OPT_UNFAIR},
	{"fail-verify", no_argument, NULL, OPT_FAIL_VERIFY},
	{"timeout-ms", required_argument, NULL, OPT_TIMEOUT},
	{"exit-dump-len", required_argument, NULL, OPT_DUMP_LEN},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

int main(int argc, char **argv)
{
	struct ktstr_fixture *skel;
	struct bpf_link *link;
	pthread_t ctrl_thread;
	bool fail_verify = false, no_ctrl = false;
	__u64 ecode;
	int opt, nr_cpus;

	libbpf_set_print(libbpf_print_fn);
	signal(SIGINT, on_exit_signal);
	signal(SIGTERM, on_exit_signal);
	/* The agent reads our output through a pipe: line-buffer it so reports arrive as they happen. */
	setvbuf(stdout, NULL, _IOLBF, 0);

	skel = SCX_OPS_OPEN(fixture_ops, ktstr_fixture);

	while ((opt = getopt_long(argc, argv, "vh", long_opts, NULL)) != -1) {
		switch (opt) {
		case OPT_LLC:
			skel->rodata->llc_aware = true;
			break;
		case OPT_STEAL:
			skel->rodata->steal = true;
			break;
		case OPT_BORROW:
			skel->rodata->borrow = true;
			break;
		case OPT_REBAL: {
			unsigned long ms = number("--rebalance-ms", optarg);
			if (ms == 0)
				usage_error("--rebalance-ms wants at least 1 ms, got '%s'", optarg);
			skel->rodata->rebalance_ns = (__u64)ms * 1000 * 1000;
			break;
		}
		case OPT_REJECT_PIN:
			skel->rodata->reject_pinned = true;
			break;
		case OPT_NO_CTRL:
			no_ctrl = true;
			break;
		case OPT_STALL:
			skel->rodata->stall_after_ns = seconds_ns("--stall-after", optarg);
			break;
		case OPT_EXIT:
			skel->rodata->exit_after_ns = seconds_ns("--exit-after", optarg);
			break;
		case OPT_EXIT_CODE:
			skel->rodata->exit_code = number("--exit-code", optarg);
			break;
		case OPT_ERROR:
			skel->rodata->error_after_ns = seconds_ns("--error-after", optarg);
			break;
		case OPT_UNFAIR:
			skel->rodata->unfair = true;
			break;
		case OPT_FAIL_VERIFY:
			fail_verify = true;
			break;
		case OPT_TIMEOUT:
			skel->struct_ops.fixture_ops->timeout_ms = number("--timeout-ms", optarg);
			break;
		case OPT_DUMP_LEN:
			skel->struct_ops.fixture_ops->exit_dump_len = number("--exit-dump-len", optarg);
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			fprintf(stderr, help_fmt, basename(argv[0]));
			ktstr_fixture__destroy(skel);
			return opt == 'h' ? 0 : 2;
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	if (skel->rodata->steal && !skel->rodata->llc_aware)
		usage_error("%s needs --llc-aware (it steals between LLC queues)", "--steal");

	nr_cpus = libbpf_num_possible_cpus();
	if (nr_cpus < 1 || nr_cpus > MAX_CPUS) {
		fprintf(stderr, "ktstr_fixture: %d possible CPUs, supported 1..%d\n", nr_cpus, MAX_CPUS);
		ktstr_fixture__destroy(skel);
		return 1;
	}
	skel->rodata->nr_cpus = (__u32)nr_cpus;
	int nr_llcs = read_llc_map(nr_cpus, skel->rodata->cpu_llc);
	if (nr_llcs < 0) {
		ktstr_fixture__destroy(skel);
		return 1;
	}
	skel->rodata->nr_llcs = (__u32)nr_llcs;

	if (no_ctrl)
		signal(SIGUSR1, SIG_IGN);
	else
		signal(SIGUSR1, on_stall_signal);

	bpf_program__set_autoload(skel->progs.fixture_fail_verify, fail_verify);
	load(skel);
	link = SCX_OPS_ATTACH(skel, fixture_ops, ktstr_fixture);
	printf("ktstr_fixture attached: cpus=%d llcs=%d llc_aware=%d steal=%d borrow=%d rebalance_ms=%llu "
	       "reject_pinned=%d ctrl=%d stall_after=%llums exit_after=%llums error_after=%llums unfair=%d "
	       "timeout_ms=%u\n",
	       nr_cpus, nr_llcs, (int)skel->rodata->llc_aware, (int)skel->rodata->steal,
	       (int)skel->rodata->borrow, (unsigned long long)(skel->rodata->rebalance_ns / 1000000),
	       (int)skel->rodata->reject_pinned, !no_ctrl,
	       (unsigned long long)(skel->rodata->stall_after_ns / 1000000),
	       (unsigned long long)(skel->rodata->exit_after_ns / 1000000),
	       (unsigned long long)(skel->rodata->error_after_ns / 1000000), (int)skel->rodata->unfair,
	       skel->struct_ops.fixture_ops->timeout_ms);

	if (!no_ctrl) {
		int err = pthread_create(&ctrl_thread, NULL, control, skel);
		if (err) {
			fprintf(stderr, "ktstr_fixture: cannot start the control thread: %s\n", strerror(err));
			exit_req = 1;
			no_ctrl = true;
		}
	}

	/* Notice an exit within 100 ms; the control thread (if any) ends on the same conditions. */
	const struct timespec tick = {.tv_sec = 0, .tv_nsec = 100 * 1000 * 1000};
	while (!exit_req && !UEI_EXITED(skel, uei))
		nanosleep(&tick, NULL);
	if (!no_ctrl)
		pthread_join(ctrl_thread, NULL);

	bpf_link__destroy(link);
	ecode = UEI_REPORT(skel, uei);
	ktstr_fixture__destroy(skel);
	if (exit_req)
		return 0;
	return UEI_ECODE_USER(ecode) ? (int)(UEI_ECODE_USER(ecode) & 0xff) : 1;
}

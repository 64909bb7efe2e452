/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loader of ktstr_fixture (see ktstr_fixture.bpf.c): parses the failure-injection options, loads
 * and attaches the scheduler, prints its counters once a second, and on exit reports the kernel's
 * exit information (UEI_REPORT: "EXIT: <reason> (<message>)" and the debug dump). Exit status: 0
 * after SIGINT/SIGTERM, the scheduler's exit code after scx_bpf_exit(), 1 on any other error.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <scx/common.h>
#include "ktstr_fixture.bpf.skel.h"

static const char help_fmt[] =
"ktstr's fixture sched_ext scheduler: a FIFO scheduler that fails on request.\n"
"\n"
"Usage: %s [options]\n"
"\n"
"  --stall-after S    stop dispatching user tasks after S seconds (watchdog ejects it)\n"
"  --exit-after S     scx_bpf_exit() after S seconds with --exit-code (default 1)\n"
"  --exit-code N      exit code for --exit-after\n"
"  --error-after S    scx_bpf_error() after S seconds (the kernel ejects it)\n"
"  --unfair           20 ms slices for even pids, 0.2 ms for odd ones\n"
"  --fail-verify      also load a program the verifier rejects\n"
"  --timeout-ms MS    sched_ext watchdog timeout (ops.timeout_ms; kernel default 30000)\n"
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

enum { OPT_STALL = 256, OPT_EXIT, OPT_EXIT_CODE, OPT_ERROR, OPT_UNFAIR, OPT_FAIL_VERIFY, OPT_TIMEOUT };

static const struct option long_opts[] = {
	{"stall-after", required_argument, NULL, OPT_STALL},
	{"exit-after", required_argument, NULL, OPT_EXIT},
	{"exit-code", required_argument, NULL, OPT_EXIT_CODE},
	{"error-after", required_argument, NULL, OPT_ERROR},
	{"unfair", no_argument, NULL, OPT_UNFAIR},
	{"fail-verify", no_argument, NULL, OPT_FAIL_VERIFY},
	{"timeout-ms", required_argument, NULL, OPT_TIMEOUT},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

int main(int argc, char **argv)
{
	struct ktstr_fixture *skel;
	struct bpf_link *link;
	bool fail_verify = false;
	__u64 ecode;
	int opt;

	libbpf_set_print(libbpf_print_fn);
	signal(SIGINT, on_exit_signal);
	signal(SIGTERM, on_exit_signal);
	signal(SIGUSR1, on_stall_signal);
	/* The agent reads our output through a pipe: line-buffer it so reports arrive as they happen. */
	setvbuf(stdout, NULL, _IOLBF, 0);

	skel = SCX_OPS_OPEN(fixture_ops, ktstr_fixture);

	while ((opt = getopt_long(argc, argv, "vh", long_opts, NULL)) != -1) {
		switch (opt) {
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
		case 'v':
			verbose = 1;
			break;
		default:
			fprintf(stderr, help_fmt, basename(argv[0]));
			ktstr_fixture__destroy(skel);
			return opt != 'h';
		}
	}

	bpf_program__set_autoload(skel->progs.fixture_fail_verify, fail_verify);
	SCX_OPS_LOAD(skel, fixture_ops, ktstr_fixture, uei);
	link = SCX_OPS_ATTACH(skel, fixture_ops, ktstr_fixture);
	printf("ktstr_fixture attached: stall_after=%llums exit_after=%llums error_after=%llums unfair=%d "
	       "timeout_ms=%u\n",
	       (unsigned long long)(skel->rodata->stall_after_ns / 1000000),
	       (unsigned long long)(skel->rodata->exit_after_ns / 1000000),
	       (unsigned long long)(skel->rodata->error_after_ns / 1000000), (int)skel->rodata->unfair,
	       skel->struct_ops.fixture_ops->timeout_ms);

	/* Poll every 100 ms so an exit is reported promptly; print counters every second. */
	const struct timespec tick = {.tv_sec = 0, .tv_nsec = 100 * 1000 * 1000};
	for (unsigned int n = 0; !exit_req && !UEI_EXITED(skel, uei); n++) {
		if (stall_req && !skel->bss->stall) {
			skel->bss->stall = 1;
			printf("stall requested by SIGUSR1\n");
		}
		if (n % 10 == 0)
			printf("enqueued=%llu dispatched=%llu kthreads=%llu stall=%u\n",
			       (unsigned long long)skel->bss->nr_enqueued,
			       (unsigned long long)skel->bss->nr_dispatched,
			       (unsigned long long)skel->bss->nr_kthreads, skel->bss->stall);
		nanosleep(&tick, NULL);
	}

	bpf_link__destroy(link);
	ecode = UEI_REPORT(skel, uei);
	ktstr_fixture__destroy(skel);
	if (exit_req)
		return 0;
	return UEI_ECODE_USER(ecode) ? (int)(UEI_ECODE_USER(ecode) & 0xff) : 1;
}

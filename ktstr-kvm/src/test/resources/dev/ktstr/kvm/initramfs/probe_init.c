/*
 * A tiny PID 1 for KernelBootTest: proves the kernel unpacked base and suffix, that the base's
 * last member (the marker) arrived, that a file spanning LZ4 blocks is whole, and that an included
 * dynamic program and busybox run with the libraries the initramfs brought. Prints one line to ttyS0 and powers off.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int out = 1;

static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdprintf(out, fmt, ap);
	va_end(ap);
}

/* Reads up to n-1 bytes of a file, newline-stripped; "-" when absent. */
static void slurp(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t got;

	strcpy(buf, "-");
	if (fd < 0)
		return;
	got = read(fd, buf, n - 1);
	if (got < 0)
		got = 0;
	buf[got] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (close(fd) != 0)
		say("close %s: %s\n", path, strerror(errno));
}

/* Runs argv, captures its stdout (newline-stripped) into buf; "exec-failed" etc. on errors. */
static void run(char *const argv[], char *buf, size_t n)
{
	int p[2];
	pid_t pid;
	ssize_t got, total = 0;
	int status;

	strcpy(buf, "pipe-failed");
	if (pipe2(p, O_CLOEXEC) != 0)
		return;
	pid = fork();
	if (pid < 0) {
		strcpy(buf, "fork-failed");
		close(p[0]);
		close(p[1]);
		return;
	}
	if (pid == 0) {
		if (dup2(p[1], 1) < 0 || dup2(p[1], 2) < 0)
			_exit(126);
		execv(argv[0], argv);
		dprintf(1, "exec-failed:%s", strerror(errno));
		_exit(127);
	}
	if (close(p[1]) != 0)
		say("close pipe: %s\n", strerror(errno));
	while (total < (ssize_t)n - 1 && (got = read(p[0], buf + total, n - 1 - total)) > 0)
		total += got;
	buf[total] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (close(p[0]) != 0)
		say("close pipe: %s\n", strerror(errno));
	if (waitpid(pid, &status, 0) != pid)
		say("waitpid: %s\n", strerror(errno));
}

int main(void)
{
	struct stat st;
	char args[256], marker[128], app[256], sh[256];
	long long blob = -1;
	char *app_argv[] = { "/include-files/app", NULL };
	char *sh_argv[] = { "/bin/sh", "-c", "echo busybox-sh-ok", NULL };

	if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) != 0)
		say("mount /dev: %s\n", strerror(errno));
	if (mount("proc", "/proc", "proc", 0, NULL) != 0)
		say("mount /proc: %s\n", strerror(errno));
	out = open("/dev/ttyS0", O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (out < 0)
		out = 1;
	slurp("/.ktstr_init_ok", marker, sizeof(marker));
	slurp("/ktstr/args", args, sizeof(args));
	run(app_argv, app, sizeof(app));
	if (stat("/include-files/blob", &st) == 0)
		blob = (long long)st.st_size;
	if (stat("/bin/busybox", &st) == 0)
		run(sh_argv, sh, sizeof(sh));
	else
		strcpy(sh, "absent");
	say("KTSTR_PROBE marker=[%s] args=[%s] app=[%s] sh=[%s] blob=[%lld]\n", marker, args, app, sh, blob);
	sync();
	reboot(RB_POWER_OFF);
	return 1;
}

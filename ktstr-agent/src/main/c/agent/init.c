// SPDX-License-Identifier: Apache-2.0
/* PID 1 duties in the guest: filesystems, the initramfs marker, and powering off. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent.h"
#include "log.h"

struct mnt {
	const char *src, *dst, *type;
	unsigned long flags;
	const char *data;
	int required;
};

static const struct mnt mounts[] = {
	{"proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, 1},
	{"sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, 1},
	{"devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755", 1},
	{"devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "gid=5,mode=620,ptmxmode=666", 0},
	{"tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, NULL, 0},
	{"tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, NULL, 1},
	{"tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755", 0},
	{"cgroup2", "/sys/fs/cgroup", "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, 1},
	{"bpf", "/sys/fs/bpf", "bpf", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0700", 0},
	{"tracefs", "/sys/kernel/tracing", "tracefs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, 0},
	{"debugfs", "/sys/kernel/debug", "debugfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, 0},
};

static int mkdirs(const char *path)
{
	char p[256];
	snprintf(p, sizeof(p), "%s", path);
	for (char *s = p + 1; *s; s++) {
		if (*s == '/') {
			*s = 0;
			mkdir(p, 0755);
			*s = '/';
		}
	}
	return mkdir(p, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

static void write_file(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	ssize_t w = write(fd, value, strlen(value));
	(void)w;
	close(fd);
}

int vm_init(char *err, size_t errlen)
{
	for (size_t i = 0; i < sizeof(mounts) / sizeof(mounts[0]); i++) {
		const struct mnt *m = &mounts[i];
		mkdirs(m->dst);
		if (mount(m->src, m->dst, m->type, m->flags, m->data) != 0 && errno != EBUSY) {
			if (m->required) {
				snprintf(err, errlen, "mount %s on %s: %s", m->type, m->dst, strerror(errno));
				return -1;
			}
		}
	}
	int con = open("/dev/ttyS0", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (con < 0)
		con = open("/dev/console", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (con >= 0) {
		dup2(con, 0);
		dup2(con, 1);
		dup2(con, 2);
		log_set_fd(con);
	}
	symlink("/proc/self/fd", "/dev/fd");
	symlink("/proc/self/fd/0", "/dev/stdin");
	symlink("/proc/self/fd/1", "/dev/stdout");
	symlink("/proc/self/fd/2", "/dev/stderr");
	if (access("/.ktstr_init_ok", F_OK) != 0) {
		snprintf(err, errlen, "initramfs marker /.ktstr_init_ok missing: the initramfs was truncated");
		log_marker("KTSTR_INITRAMFS_TRUNCATED");
		return -1;
	}
	sethostname("ktstr", 5);
	/* Per-program run time and counts for BPF programs (ktstr verifier / monitor). */
	write_file("/proc/sys/kernel/bpf_stats_enabled", "1");
	return 0;
}

int cmdline_has(const char *word)
{
	char buf[4096];
	int fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	size_t len = strlen(word);
	for (char *p = strstr(buf, word); p; p = strstr(p + 1, word)) {
		int starts = p == buf || p[-1] == ' ';
		int ends = p[len] == 0 || p[len] == ' ' || p[len] == '\n' || p[len] == '=';
		if (starts && ends)
			return 1;
	}
	return 0;
}

int cmdline_shm(uint64_t *gpa, uint64_t *size)
{
	char buf[4096];
	int fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	const char *p = strstr(buf, "ktstr.shm=");
	if (!p)
		return -1;
	p += strlen("ktstr.shm=");
	char *end;
	*gpa = strtoull(p, &end, 0);
	if (*end != ',')
		return -1;
	*size = strtoull(end + 1, &end, 0);
	return *size ? 0 : -1;
}

void vm_poweroff(void)
{
	sync();
	reboot(RB_POWER_OFF);
	/* Unreachable unless reboot failed; PID 1 must not exit. */
	for (;;)
		pause();
}

/*
 * /init for the VMM's full-kernel boot test: a static, libc-free PID 1 that mounts proc and sysfs,
 * prints what the kernel made of the machine (CPUs, nodes, SMT siblings, LLC package, command line)
 * as "ktstr-init: key=value" lines on the console, and powers the machine off through reboot(2).
 * Raw x86-64 system calls only (arch/x86/entry/syscalls/syscall_64.tbl).
 */
#include <stddef.h>
#include <stdint.h>

#define SYS_read 0
#define SYS_write 1
#define SYS_close 3
#define SYS_mkdir 83
#define SYS_mount 165
#define SYS_reboot 169
#define SYS_openat 257
#define AT_FDCWD -100
#define O_RDONLY 0
#define O_WRONLY 1
#define LINUX_REBOOT_MAGIC1 0xfee1deadL
#define LINUX_REBOOT_MAGIC2 672274793L
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedcL

static long syscall6(long n, long a, long b, long c, long d, long e)
{
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return ret;
}

static int out_fd = 1;

static size_t len(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

static void say(const char *s) { syscall6(SYS_write, out_fd, (long)s, (long)len(s), 0, 0); }

/* Prints "ktstr-init: key=<first line of path>". */
static void report(const char *key, const char *path)
{
	char buf[512];
	long fd = syscall6(SYS_openat, AT_FDCWD, (long)path, O_RDONLY, 0, 0);
	long n = fd < 0 ? fd : syscall6(SYS_read, fd, (long)buf, sizeof(buf) - 1, 0, 0);
	if (fd >= 0)
		syscall6(SYS_close, fd, 0, 0, 0, 0);
	say("ktstr-init: ");
	say(key);
	say("=");
	if (n < 0) {
		say("<unreadable>\n");
		return;
	}
	buf[n] = 0;
	for (long i = 0; i < n; i++)
		if (buf[i] == '\n')
			buf[i] = 0;
	say(buf);
	say("\n");
}

static void mount_fs(const char *type, const char *dir)
{
	syscall6(SYS_mkdir, (long)dir, 0755, 0, 0, 0);
	if (syscall6(SYS_mount, (long)type, (long)dir, (long)type, 0, 0) < 0) {
		say("ktstr-init: mount failed: ");
		say(type);
		say("\n");
	}
}

void _start(void)
{
	long console = syscall6(SYS_openat, AT_FDCWD, (long)"/dev/console", O_WRONLY, 0, 0);
	if (console >= 0)
		out_fd = (int)console;
	say("ktstr-init: started\n");
	mount_fs("proc", "/proc");
	mount_fs("sysfs", "/sys");
	report("cpus", "/sys/devices/system/cpu/online");
	report("nodes", "/sys/devices/system/node/online");
	report("cpu0-threads", "/sys/devices/system/cpu/cpu0/topology/thread_siblings_list");
	report("cpu0-package", "/sys/devices/system/cpu/cpu0/topology/package_cpus_list");
	report("cmdline", "/proc/cmdline");
	say("ktstr-init: powering off\n");
	syscall6(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF, 0, 0);
	say("ktstr-init: reboot(POWER_OFF) failed\n");
	for (;;)
		__asm__ volatile("pause");
}

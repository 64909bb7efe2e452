/*
 * Test scaffolding only: /init of the SpikeGuest used by the monitor's real-guest tests until the
 * project's own engine and agent boot guests. It mounts the pseudo filesystems, then serves one-line
 * commands from the host on /dev/ttyS1 (COM2):
 *
 *   syms NAME...            "sym <kallsyms line>" for each NAME found in /proc/kallsyms, then "end"
 *   spin CPU                fork a busy loop pinned to CPU             -> "ok PID"
 *   killall                 kill and reap every spinner                -> "ok"
 *   bpf                     create a .bss-like ARRAY map with BTF and a PERCPU_ARRAY map, store known
 *                           values                                     -> "ok"
 *   bpfget                  "bss STALL NR" and "pcpu V0 V1 ..." as the guest's bpf() sees them
 *   scx TYPEID SIZE NAMEOFF attach a sched_ext scheduler without callbacks through a struct_ops map
 *                           (vmlinux BTF id and layout of bpf_struct_ops_sched_ext_ops from the host)
 *                                                                  -> "ok" | "err ERRNO WHAT"
 *   cat PATH                "line <first line of PATH>"
 *   poweroff
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define MAX_SPINNERS 256

static FILE *host;
static pid_t spinners[MAX_SPINNERS];
static int nspinners;
static int bss_fd = -1;
static int pcpu_fd = -1;
static int scx_fd = -1;

static void reply(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(host, fmt, ap);
	va_end(ap);
	fputc('\n', host);
	fflush(host);
}

static void die(const char *what)
{
	fprintf(stderr, "spike_init: %s: %s\n", what, strerror(errno));
	reboot(RB_POWER_OFF);
	_exit(1);
}

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static int possible_cpus(void)
{
	FILE *f = fopen("/sys/devices/system/cpu/possible", "r");
	int lo = 0, hi = 0;
	if (!f)
		return -1;
	if (fscanf(f, "%d-%d", &lo, &hi) < 1)
		hi = lo;
	fclose(f);
	return hi + 1;
}

static void cmd_syms(char *names)
{
	char line[512];
	FILE *f = fopen("/proc/kallsyms", "r");
	if (!f) {
		reply("err %d open /proc/kallsyms", errno);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char addr[32], type[4], name[256];
		if (strchr(line, '['))
			continue;
		if (sscanf(line, "%31s %3s %255s", addr, type, name) != 3)
			continue;
		char key[260];
		snprintf(key, sizeof(key), " %s ", name);
		if (strstr(names, key))
			reply("sym %s %s %s", addr, type, name);
	}
	fclose(f);
	reply("end");
}

static void cmd_spin(int cpu)
{
	if (nspinners == MAX_SPINNERS) {
		reply("err 0 too many spinners");
		return;
	}
	pid_t pid = fork();
	if (pid < 0) {
		reply("err %d fork", errno);
		return;
	}
	if (pid == 0) {
		cpu_set_t set;
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set) != 0)
			_exit(2);
		for (volatile unsigned long i = 0;; i++)
			;
	}
	spinners[nspinners++] = pid;
	reply("ok %d", (int)pid);
}

static void cmd_killall(void)
{
	for (int i = 0; i < nspinners; i++) {
		if (kill(spinners[i], SIGKILL) != 0)
			die("kill");
		if (waitpid(spinners[i], NULL, 0) < 0)
			die("waitpid");
	}
	nspinners = 0;
	reply("ok");
}

/* BTF of the .bss map: int stall; unsigned long long nr_dispatched; (Documentation/bpf/btf.rst) */
static unsigned char btf_blob[512];
static size_t btf_len;

static void put32(unsigned char *p, size_t *off, uint32_t v)
{
	memcpy(p + *off, &v, 4);
	*off += 4;
}

static void build_btf(void)
{
	static const char strs[] = "\0int\0long long unsigned int\0stall\0nr_dispatched\0.bss";
	const uint32_t s_int = 1, s_ull = 5, s_stall = 28, s_nr = 34, s_bss = 48;
	unsigned char types[256];
	size_t t = 0;
	/* [1] INT int: size 4, signed, 32 bits */
	put32(types, &t, s_int); put32(types, &t, 1u << 24); put32(types, &t, 4); put32(types, &t, (1u << 24) | 32);
	/* [2] INT long long unsigned int: size 8, 64 bits */
	put32(types, &t, s_ull); put32(types, &t, 1u << 24); put32(types, &t, 8); put32(types, &t, 64);
	/* [3] VAR stall: type 1, global */
	put32(types, &t, s_stall); put32(types, &t, 14u << 24); put32(types, &t, 1); put32(types, &t, 1);
	/* [4] VAR nr_dispatched: type 2, global */
	put32(types, &t, s_nr); put32(types, &t, 14u << 24); put32(types, &t, 2); put32(types, &t, 1);
	/* [5] DATASEC .bss: size 16, vars {3, 0, 4} {4, 8, 8} */
	put32(types, &t, s_bss); put32(types, &t, (15u << 24) | 2); put32(types, &t, 16);
	put32(types, &t, 3); put32(types, &t, 0); put32(types, &t, 4);
	put32(types, &t, 4); put32(types, &t, 8); put32(types, &t, 8);

	size_t o = 0;
	uint16_t magic = 0xeb9f;
	memcpy(btf_blob, &magic, 2);
	btf_blob[2] = 1;
	btf_blob[3] = 0;
	o = 4;
	put32(btf_blob, &o, 24);
	put32(btf_blob, &o, 0);
	put32(btf_blob, &o, (uint32_t)t);
	put32(btf_blob, &o, (uint32_t)t);
	put32(btf_blob, &o, sizeof(strs));
	memcpy(btf_blob + o, types, t);
	memcpy(btf_blob + o + t, strs, sizeof(strs));
	btf_len = o + t + sizeof(strs);
}

static char bpf_log[65536];

/* Loads the .bss BTF; returns its fd or -1 (errno set, log on the console). */
static int load_btf(void)
{
	union bpf_attr a;
	build_btf();
	memset(&a, 0, sizeof(a));
	a.btf = (uint64_t)(uintptr_t)btf_blob;
	a.btf_size = (uint32_t)btf_len;
	a.btf_log_buf = (uint64_t)(uintptr_t)bpf_log;
	a.btf_log_size = sizeof(bpf_log);
	a.btf_log_level = 1;
	int fd = (int)sys_bpf(BPF_BTF_LOAD, &a);
	if (fd < 0)
		fprintf(stderr, "BTF log: %s\n", bpf_log);
	return fd;
}

static void cmd_bpf(void)
{
	union bpf_attr a;
	int btf_fd = load_btf();
	if (btf_fd < 0) {
		reply("err %d BPF_BTF_LOAD", errno);
		return;
	}

	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = 4;
	a.value_size = 16;
	a.max_entries = 1;
	a.btf_fd = btf_fd;
	a.btf_value_type_id = 5;
	strcpy(a.map_name, "ktstr_t.bss");
	bss_fd = (int)sys_bpf(BPF_MAP_CREATE, &a);
	if (bss_fd < 0) {
		reply("err %d BPF_MAP_CREATE array", errno);
		return;
	}
	unsigned char val[16] = {0};
	int32_t stall = 7;
	uint64_t nr = 0x1122334455667788ull;
	memcpy(val, &stall, 4);
	memcpy(val + 8, &nr, 8);
	uint32_t key = 0;
	memset(&a, 0, sizeof(a));
	a.map_fd = bss_fd;
	a.key = (uint64_t)(uintptr_t)&key;
	a.value = (uint64_t)(uintptr_t)val;
	if (sys_bpf(BPF_MAP_UPDATE_ELEM, &a) != 0) {
		reply("err %d update array", errno);
		return;
	}

	int ncpu = possible_cpus();
	if (ncpu < 1) {
		reply("err %d possible cpus", errno);
		return;
	}
	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_PERCPU_ARRAY;
	a.key_size = 4;
	a.value_size = 8;
	a.max_entries = 2;
	strcpy(a.map_name, "ktstr_pcpu");
	pcpu_fd = (int)sys_bpf(BPF_MAP_CREATE, &a);
	if (pcpu_fd < 0) {
		reply("err %d BPF_MAP_CREATE percpu", errno);
		return;
	}
	uint64_t pv[256];
	for (int c = 0; c < ncpu && c < 256; c++)
		pv[c] = 100 + (uint64_t)c;
	key = 1;
	memset(&a, 0, sizeof(a));
	a.map_fd = pcpu_fd;
	a.key = (uint64_t)(uintptr_t)&key;
	a.value = (uint64_t)(uintptr_t)pv;
	if (sys_bpf(BPF_MAP_UPDATE_ELEM, &a) != 0) {
		reply("err %d update percpu", errno);
		return;
	}
	reply("ok");
}

static void cmd_bpfget(void)
{
	union bpf_attr a;
	unsigned char val[16];
	uint32_t key = 0;
	memset(&a, 0, sizeof(a));
	a.map_fd = bss_fd;
	a.key = (uint64_t)(uintptr_t)&key;
	a.value = (uint64_t)(uintptr_t)val;
	if (sys_bpf(BPF_MAP_LOOKUP_ELEM, &a) != 0) {
		reply("err %d lookup array", errno);
		return;
	}
	int32_t stall;
	uint64_t nr;
	memcpy(&stall, val, 4);
	memcpy(&nr, val + 8, 8);
	reply("bss %d %llu", stall, (unsigned long long)nr);

	uint64_t pv[256];
	int ncpu = possible_cpus();
	key = 1;
	memset(&a, 0, sizeof(a));
	a.map_fd = pcpu_fd;
	a.key = (uint64_t)(uintptr_t)&key;
	a.value = (uint64_t)(uintptr_t)pv;
	if (sys_bpf(BPF_MAP_LOOKUP_ELEM, &a) != 0) {
		reply("err %d lookup percpu", errno);
		return;
	}
	char line[4096];
	size_t n = (size_t)snprintf(line, sizeof(line), "pcpu");
	for (int c = 0; c < ncpu && c < 256 && n < sizeof(line) - 24; c++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, " %llu", (unsigned long long)pv[c]);
	reply("%s", line);
}

static void cmd_scx(unsigned type_id, unsigned value_size, unsigned name_off, unsigned flags)
{
	static unsigned char value[4096];
	union bpf_attr a;
	if (value_size > sizeof(value) || name_off + 16 > value_size) {
		reply("err 0 bad struct_ops layout %u %u", value_size, name_off);
		return;
	}
	/* A struct_ops map needs some program BTF (btf_fd), even though its value type is the kernel's. */
	int btf_fd = load_btf();
	if (btf_fd < 0) {
		reply("err %d BPF_BTF_LOAD", errno);
		return;
	}
	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_STRUCT_OPS;
	a.btf_fd = btf_fd;
	a.key_size = 4;
	a.value_size = value_size;
	a.max_entries = 1;
	a.btf_vmlinux_value_type_id = type_id;
	a.map_flags = flags;
	strcpy(a.map_name, "ktstr_null");
	scx_fd = (int)sys_bpf(BPF_MAP_CREATE, &a);
	if (scx_fd < 0) {
		reply("err %d BPF_MAP_CREATE struct_ops", errno);
		return;
	}
	memset(value, 0, sizeof(value));
	strcpy((char *)value + name_off, "ktstr_null");
	uint32_t key = 0;
	memset(&a, 0, sizeof(a));
	a.map_fd = scx_fd;
	a.key = (uint64_t)(uintptr_t)&key;
	a.value = (uint64_t)(uintptr_t)value;
	if (sys_bpf(BPF_MAP_UPDATE_ELEM, &a) != 0) {
		reply("err %d register struct_ops", errno);
		return;
	}
	reply("ok");
}

static void cmd_cat(const char *path)
{
	char line[256] = {0};
	FILE *f = fopen(path, "r");
	if (!f) {
		reply("err %d open %s", errno, path);
		return;
	}
	if (!fgets(line, sizeof(line), f))
		line[0] = 0;
	fclose(f);
	line[strcspn(line, "\n")] = 0;
	reply("line %s", line);
}

int main(void)
{
	if (mount("proc", "/proc", "proc", 0, NULL) != 0)
		die("mount /proc");
	if (mount("sysfs", "/sys", "sysfs", 0, NULL) != 0)
		die("mount /sys");
	if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) != 0)
		die("mount /dev");
	int con = open("/dev/ttyS0", O_WRONLY);
	if (con >= 0) {
		dup2(con, 1);
		dup2(con, 2);
	}
	int fd = open("/dev/ttyS1", O_RDWR | O_NOCTTY);
	if (fd < 0)
		die("open /dev/ttyS1");
	struct termios t;
	if (tcgetattr(fd, &t) != 0)
		die("tcgetattr");
	cfmakeraw(&t);
	cfsetspeed(&t, B115200);
	if (tcsetattr(fd, TCSANOW, &t) != 0)
		die("tcsetattr");
	host = fdopen(fd, "r+");
	if (!host)
		die("fdopen");
	reply("ready %ld", sysconf(_SC_NPROCESSORS_ONLN));

	char line[4096];
	while (fgets(line, sizeof(line), host)) {
		line[strcspn(line, "\r\n")] = 0;
		unsigned x, y, z, w = 0;
		int cpu;
		if (strncmp(line, "syms ", 5) == 0) {
			char names[4096];
			snprintf(names, sizeof(names), " %s ", line + 5);
			cmd_syms(names);
		} else if (sscanf(line, "spin %d", &cpu) == 1) {
			cmd_spin(cpu);
		} else if (strcmp(line, "killall") == 0) {
			cmd_killall();
		} else if (strcmp(line, "bpf") == 0) {
			cmd_bpf();
		} else if (strcmp(line, "bpfget") == 0) {
			cmd_bpfget();
		} else if (sscanf(line, "scx %u %u %u %u", &x, &y, &z, &w) >= 3) {
			cmd_scx(x, y, z, w);
		} else if (strncmp(line, "cat ", 4) == 0) {
			cmd_cat(line + 4);
		} else if (strcmp(line, "poweroff") == 0) {
			sync();
			reboot(RB_POWER_OFF);
		} else {
			reply("err 0 unknown command '%s'", line);
		}
	}
	reboot(RB_POWER_OFF);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktstr_progs: prints every BPF program loaded in the running kernel, one JSON object per line:
 *   {"id":12,"type":"struct_ops","name":"simple_select_cpu","tag":"...","verified_insns":31,"xlated_len":248}
 * The name is the full function name from the program's BTF (the kernel keeps only 15 characters
 * of a program name), like bpftool shows it. ktstr ships it into the guest next to the scheduler
 * under test and reads bpf_prog_info.verified_insns with it ("ktstr verifier"). Built statically
 * against the libbpf of the same kernel tree as the schedulers. Exit status: 0, or 1 when the
 * program list cannot be read (no CAP_BPF / CAP_SYS_ADMIN, no bpf syscall).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

/* The program's function name from its BTF func_info, or "" when it has none. */
static void btf_name(int fd, const struct bpf_prog_info *info, char *out, size_t len)
{
	out[0] = 0;
	if (!info->btf_id || !info->nr_func_info)
		return;
	struct bpf_func_info finfo;
	struct bpf_prog_info second;
	__u32 info_len = sizeof(second);
	memset(&second, 0, sizeof(second));
	second.nr_func_info = 1;
	second.func_info_rec_size = sizeof(finfo);
	second.func_info = (__u64)(unsigned long)&finfo;
	if (bpf_prog_get_info_by_fd(fd, &second, &info_len))
		return;
	struct btf *btf = btf__load_from_kernel_by_id(info->btf_id);
	if (!btf)
		return;
	const struct btf_type *t = btf__type_by_id(btf, finfo.type_id);
	if (t) {
		const char *name = btf__name_by_offset(btf, t->name_off);
		if (name)
			snprintf(out, len, "%s", name);
	}
	btf__free(btf);
}

/* Writes s as a JSON string (program names are C identifiers; escaping keeps it safe anyway). */
static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

int main(void)
{
	__u32 id = 0;
	int n = 0;

	for (;;) {
		if (bpf_prog_get_next_id(id, &id)) {
			if (errno == ENOENT)
				break;
			fprintf(stderr, "ktstr_progs: BPF_PROG_GET_NEXT_ID: %s\n", strerror(errno));
			return 1;
		}
		int fd = bpf_prog_get_fd_by_id(id);
		if (fd < 0) {
			if (errno == ENOENT)
				continue; /* unloaded meanwhile */
			fprintf(stderr, "ktstr_progs: BPF_PROG_GET_FD_BY_ID %u: %s\n", id, strerror(errno));
			return 1;
		}
		struct bpf_prog_info info;
		__u32 len = sizeof(info);
		memset(&info, 0, sizeof(info));
		if (bpf_prog_get_info_by_fd(fd, &info, &len)) {
			fprintf(stderr, "ktstr_progs: BPF_OBJ_GET_INFO_BY_FD %u: %s\n", id, strerror(errno));
			close(fd);
			return 1;
		}
		char name[256];
		btf_name(fd, &info, name, sizeof(name));
		close(fd);
		const char *type = libbpf_bpf_prog_type_str(info.type);
		printf("{\"id\":%u,\"type\":", info.id);
		json_str(type ? type : "unknown");
		printf(",\"name\":");
		json_str(name[0] ? name : info.name);
		printf(",\"tag\":\"");
		for (int i = 0; i < BPF_TAG_SIZE; i++)
			printf("%02x", info.tag[i]);
		printf("\",\"verified_insns\":%u,\"xlated_len\":%u}\n", info.verified_insns, info.xlated_prog_len);
		n++;
	}
	fflush(stdout);
	return 0;
}

// SPDX-License-Identifier: Apache-2.0
/*
 * Worker wire formats against the golden vectors in src/test/resources/wire/ (.hex files), which the Java
 * side (WorkWireTest) decodes to the same values: kw_group_spec and kw_report encode byte for byte
 * and decode back. Also: the histogram index, CPU lists, spec validation.
 * KTSTR_REGEN_GOLDEN=1 rewrites the vectors instead of comparing (after a deliberate format change).
 */
#include <ctype.h>
#include <libgen.h>

#include "test_work_util.h"

static char golden_dir[512];

static void init_golden_dir(void)
{
	char file[512];
	snprintf(file, sizeof(file), "%s", __FILE__);
	snprintf(golden_dir, sizeof(golden_dir), "%s/../resources/wire", dirname(file));
}

/* Reads a .hex vector: hex digit pairs; whitespace and '#' comment lines ignored. */
static int read_hex(const char *name, struct kbuf *out)
{
	char path[700];
	snprintf(path, sizeof(path), "%s/%s", golden_dir, name);
	kbuf_init(out);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char line[4096];
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#')
			continue;
		int hi = -1;
		for (char *p = line; *p; p++) {
			if (isspace((unsigned char)*p))
				continue;
			int v = isdigit((unsigned char)*p) ? *p - '0' : tolower((unsigned char)*p) - 'a' + 10;
			if (v < 0 || v > 15) {
				fclose(f);
				return -1;
			}
			if (hi < 0) {
				hi = v;
			} else {
				kbuf_u8(out, (uint8_t)(hi << 4 | v));
				hi = -1;
			}
		}
	}
	fclose(f);
	return 0;
}

static void write_hex(const char *name, const char *what, const struct kbuf *b)
{
	char path[700];
	snprintf(path, sizeof(path), "%s/%s", golden_dir, name);
	FILE *f = fopen(path, "w");
	CHECK(f != NULL, "cannot write %s: %s", path, strerror(errno));
	if (!f)
		return;
	fprintf(f, "# ktstr wire golden vector (ktstr_work.h): %s\n", what);
	fprintf(f, "# %zu bytes. Written by test_work_wire.c with KTSTR_REGEN_GOLDEN=1; read by WorkWireTest.\n",
		b->len);
	for (size_t i = 0; i < b->len; i++)
		fprintf(f, "%02x%s", b->data[i], (i % 32 == 31 || i + 1 == b->len) ? "\n" : "");
	fclose(f);
}

/* Compares an encoding with its golden vector (or rewrites the vector). */
static void golden(const char *name, const char *what, const struct kbuf *enc)
{
	if (getenv("KTSTR_REGEN_GOLDEN")) {
		write_hex(name, what, enc);
		return;
	}
	struct kbuf want;
	if (read_hex(name, &want)) {
		CHECK(0, "cannot read golden %s/%s", golden_dir, name);
		kbuf_free(&want);
		return;
	}
	CHECK(want.len == enc->len && !memcmp(want.data, enc->data, enc->len),
	      "%s: encoding (%zu bytes) differs from the golden vector (%zu bytes)", name, enc->len, want.len);
	kbuf_free(&want);
}

/* ---- sample values (WorkWireTest builds the same ones) ----------------------------------------- */

static char *argv_custom[] = { "/bin/sh", "-c", "echo h\xc3\xa9llo", NULL };
static char *aff_seq[] = { "0-1", "3", NULL };

static struct kw_group_spec spec_cpu_spin(void)
{
	return tw_spec(1, KW_CPU_SPIN, 4, 0, NULL);
}

static struct kw_group_spec spec_sequence(void)
{
	struct kw_group_spec s = tw_spec(7, KW_SEQUENCE, 2, 0, NULL);
	s.cgroup = "cg_0/inner";
	s.nphases = 4;
	s.phases[0] = (struct kw_phase){ KW_PH_SPIN, 100000000 };
	s.phases[1] = (struct kw_phase){ KW_PH_SLEEP, 50000000 };
	s.phases[2] = (struct kw_phase){ KW_PH_YIELD, 20000000 };
	s.phases[3] = (struct kw_phase){ KW_PH_IO, 30000000 };
	s.policy = KW_POLICY_BATCH;
	s.nice = 5;
	s.affinity = aff_seq;
	s.mempolicy = KW_MPOL_BIND;
	s.mem_nodes = "0";
	s.mpol_flags = 1U << 15;
	return s;
}

static struct kw_group_spec spec_custom(void)
{
	struct kw_group_spec s = tw_spec(9, KW_CUSTOM, 1, 0, NULL);
	s.cgroup = "payload";
	s.custom_argv = argv_custom;
	s.policy = KW_POLICY_FIFO;
	s.priority = 10;
	s.mempolicy = KW_MPOL_INTERLEAVE;
	s.mem_nodes = "0-1";
	return s;
}

static struct kw_group_spec spec_mutex(void)
{
	uint64_t p[] = { 4, 0 };
	struct kw_group_spec s = tw_spec(3, KW_MUTEX_CONTENTION, 8, 2, p);
	s.policy = KW_POLICY_IDLE;
	s.nice = -3;
	s.mempolicy = KW_MPOL_PREFERRED;
	s.mem_nodes = "1";
	return s;
}

static void report_full(struct kw_report *r)
{
	memset(r, 0, sizeof(*r));
	r->group_id = 7;
	r->index = 1;
	r->pid = 4242;
	r->exit_kind = KW_EXIT_OK;
	r->is_messenger = 1;
	r->work_units = 123456789;
	r->iterations = 120563;
	r->cpu_time_ns = 987654321;
	r->wall_time_ns = 1000000000;
	r->off_cpu_ns = 12345679;
	r->migration_count = 300;
	r->nmig = 3;
	r->migrations[0] = (struct kw_migration){ 1000, 0, 1 };
	r->migrations[1] = (struct kw_migration){ 2000000, 1, 3 };
	r->migrations[2] = (struct kw_migration){ 3000000000ULL, 3, 0 };
	strcpy(r->cpus_used, "0-1,3");
	r->max_gap_ns = 5000000;
	r->max_gap_cpu = 3;
	r->max_gap_at_ns = 250000000;
	kw_hist_init(&r->hist);
	uint64_t v[] = { 100, 100, 300, 70000, 1ULL << 40, 1ULL << 50 };
	for (unsigned i = 0; i < 6; i++)
		kw_hist_record(&r->hist, v[i]);
	r->schedstat_cpu_time_ns = 900000000;
	r->schedstat_run_delay_ns = 50000000;
	r->schedstat_run_count = 321;
	r->voluntary_switches = 12;
	r->involuntary_switches = 34;
	r->nnodes = 2;
	r->pages_on_node[0] = 100;
	r->pages_on_node[1] = 2;
	r->numa_pages_migrated = 7;
	r->children = 0;
}

static void report_timed_out(struct kw_report *r)
{
	memset(r, 0, sizeof(*r));
	r->group_id = 1;
	r->index = 0;
	r->pid = 100;
	r->exit_kind = KW_EXIT_TIMED_OUT;
	r->term_signal = 9;
	r->max_gap_cpu = -1;
}

static void report_spawn_failed(struct kw_report *r)
{
	memset(r, 0, sizeof(*r));
	r->group_id = 9;
	r->index = 0;
	r->pid = 555;
	r->exit_kind = KW_EXIT_SPAWN_FAILED;
	r->exit_code = ENOENT;
	r->max_gap_cpu = -1;
	r->children = 3;
}

/* ---- tests ----------------------------------------------------------------------------------- */

static void test_hist_index(void)
{
	CHECK(kw_hist_index(0) == 0 && kw_hist_index(255) == 255, "exact range");
	CHECK(kw_hist_index(256) == 256 && kw_hist_index(257) == 256 && kw_hist_index(258) == 257, "first log range");
	CHECK(kw_hist_index(511) == 383 && kw_hist_index(512) == 384, "second range starts at 384");
	CHECK(kw_hist_index((1ULL << 48) - 1) == KW_HIST_BUCKETS - 1, "top of the last range");
	CHECK(kw_hist_index(1ULL << 48) == KW_HIST_BUCKETS - 1 && kw_hist_index(UINT64_MAX) == KW_HIST_BUCKETS - 1,
	      "overflow bucket");
	/* every bucket's width is at most 1/128 of its lower bound */
	for (uint64_t v = 256; v < (1ULL << 40); v = v * 3 / 2 + 7) {
		uint32_t i = kw_hist_index(v);
		CHECK(kw_hist_index(v + v / 128 + 1) > i, "bucket of %llu too wide", (unsigned long long)v);
	}
	struct kw_hist h;
	kw_hist_init(&h);
	kw_hist_record(&h, 5);
	kw_hist_record(&h, 3);
	kw_hist_record(&h, 1000);
	CHECK(h.count == 3 && h.sum_ns == 1008 && h.min_ns == 3 && h.max_ns == 1000, "summary %llu %llu %llu %llu",
	      (unsigned long long)h.count, (unsigned long long)h.sum_ns, (unsigned long long)h.min_ns,
	      (unsigned long long)h.max_ns);
	h.buckets[kw_hist_index(7)] = UINT32_MAX;
	kw_hist_record(&h, 7);
	CHECK(h.count == 3, "a saturated bucket drops the sample");
}

static void test_cpulist(void)
{
	uint64_t b[KW_LIST_WORDS];
	char buf[64];
	CHECK(kw_list_parse("0-2, 5,7-8\n", b) == 0, "parse");
	CHECK(kw_list_format(b, buf, sizeof(buf)) == 9 && !strcmp(buf, "0-2,5,7-8"), "format: %s", buf);
	CHECK(kw_list_parse("", b) == 0 && kw_list_empty(b), "empty");
	CHECK(kw_list_parse("1023", b) == 0 && kw_list_format(b, buf, sizeof(buf)) > 0 && !strcmp(buf, "1023"),
	      "last id");
	CHECK(kw_list_parse("1024", b) < 0, "id out of range");
	CHECK(kw_list_parse("3-1", b) < 0 && kw_list_parse("1,", b) < 0 && kw_list_parse("a", b) < 0 &&
		      kw_list_parse("1-", b) < 0,
	      "malformed lists");
	CHECK(kw_list_parse("0,2,4,6,8,10", b) == 0 && kw_list_format(b, buf, 8) < 0 && !strcmp(buf, "0,2,4,6"),
	      "too long: prefix %s", buf);
}

static void spec_golden(const char *name, const char *what, struct kw_group_spec s)
{
	CHECK(kw_spec_check(&s) == NULL, "%s: sample spec invalid: %s", name, kw_spec_check(&s));
	struct kbuf b;
	kbuf_init(&b);
	kw_spec_encode(&b, &s);
	golden(name, what, &b);
	/* decode and encode again: the same bytes */
	struct kbuf_reader r;
	struct kw_group_spec d;
	const char *err = NULL;
	kbr_init(&r, b.data, b.len);
	CHECK(kw_spec_decode(&r, &d, &err) == 0 && r.off == b.len, "%s: decode: %s", name, err ? err : "trailing");
	struct kbuf b2;
	kbuf_init(&b2);
	kw_spec_encode(&b2, &d);
	CHECK(b2.len == b.len && !memcmp(b.data, b2.data, b.len), "%s: re-encoding differs", name);
	CHECK(d.type == s.type && d.count == s.count && d.nphases == s.nphases && d.nice == s.nice &&
		      !strcmp(d.cgroup, s.cgroup) && !strcmp(d.mem_nodes, s.mem_nodes),
	      "%s: decoded fields", name);
	/* every truncation is an error, never a crash */
	for (size_t cut = 0; cut < b.len; cut++) {
		kbr_init(&r, b.data, cut);
		struct kw_group_spec t;
		CHECK(kw_spec_decode(&r, &t, &err) < 0, "%s: truncated at %zu decodes", name, cut);
	}
	kw_spec_free(&d);
	kbuf_free(&b);
	kbuf_free(&b2);
}

static void test_spec_golden(void)
{
	spec_golden("spec_cpu_spin.hex", "CpuSpin x4, all defaults", spec_cpu_spin());
	spec_golden("spec_sequence.hex", "Sequence x2: phases, BATCH nice 5, affinity, BIND static", spec_sequence());
	spec_golden("spec_custom.hex", "Custom /bin/sh -c (UTF-8 argument), FIFO 10, INTERLEAVE 0-1", spec_custom());
	spec_golden("spec_mutex.hex", "MutexContention x8 with params {4, 0}, IDLE nice -3, PREFERRED 1", spec_mutex());
}

static void report_golden(const char *name, const char *what, const struct kw_report *r)
{
	struct kbuf b;
	kbuf_init(&b);
	kw_report_encode(&b, r);
	golden(name, what, &b);
	struct kbuf_reader rd;
	static struct kw_report d;
	kbr_init(&rd, b.data, b.len);
	CHECK(kw_report_decode(&rd, &d) == 0 && rd.off == b.len, "%s: decode", name);
	CHECK(!memcmp(&d, r, sizeof(d)), "%s: decoded report differs from the original", name);
	for (size_t cut = 0; cut < b.len; cut++) {
		kbr_init(&rd, b.data, cut);
		CHECK(kw_report_decode(&rd, &d) < 0, "%s: truncated at %zu decodes", name, cut);
	}
	kbuf_free(&b);
}

static void test_report_golden(void)
{
	static struct kw_report r[3];
	report_full(&r[0]);
	report_timed_out(&r[1]);
	report_spawn_failed(&r[2]);
	report_golden("report_full.hex", "OK report: migrations, histogram of 6 samples, 2 nodes", &r[0]);
	report_golden("report_timed_out.hex", "TIMED_OUT sentinel (SIGKILL)", &r[1]);
	report_golden("report_spawn_failed.hex", "SPAWN_FAILED (ENOENT)", &r[2]);
	/* a W_STOP reply: u32 count, count x report */
	struct kbuf b;
	kbuf_init(&b);
	kbuf_u32(&b, 3);
	for (int i = 0; i < 3; i++)
		kw_report_encode(&b, &r[i]);
	golden("stop_reply.hex", "W_STOP reply: the three reports above", &b);
	kbuf_free(&b);

	/* inconsistent histograms are refused */
	static struct kw_report bad;
	report_full(&bad);
	bad.hist.count++;
	kbuf_init(&b);
	kw_report_encode(&b, &bad);
	struct kbuf_reader rd;
	kbr_init(&rd, b.data, b.len);
	CHECK(kw_report_decode(&rd, &bad) < 0, "histogram count != sum of buckets decodes");
	kbuf_free(&b);
}

/* What the agent makes of the bytes on a report pipe: whole, partial, garbled records. */
static void test_report_records(void)
{
	static struct kw_report r, d;
	report_full(&r);
	struct kw_slot s;
	memset(&s, 0, sizeof(s));
	kbuf_init(&s.in);
	kbuf_u32(&s.in, KW_REC_REPORT);
	kbuf_u32(&s.in, 0);
	kw_report_encode(&s.in, &r);
	uint32_t len = (uint32_t)s.in.len - 8;
	memcpy(s.in.data + 4, &len, 4);
	size_t whole = s.in.len;
	CHECK(kw_slot_report(&s, &d) == 1 && !memcmp(&d, &r, sizeof(r)), "whole record");
	s.in.len = whole - 1;
	CHECK(kw_slot_report(&s, &d) == 0, "partial record");
	s.in.len = 5;
	CHECK(kw_slot_report(&s, &d) == 0, "partial header");
	s.in.len = whole;
	s.in.data[0] = 'X';
	CHECK(kw_slot_report(&s, &d) < 0, "wrong magic");
	s.in.data[0] = (uint8_t)KW_REC_REPORT;
	len -= 3; /* the record claims fewer bytes than the report needs */
	memcpy(s.in.data + 4, &len, 4);
	CHECK(kw_slot_report(&s, &d) < 0, "short record");
	len += 3 + 2; /* trailing bytes inside the record */
	memcpy(s.in.data + 4, &len, 4);
	kbuf_u8(&s.in, 0);
	kbuf_u8(&s.in, 0);
	CHECK(kw_slot_report(&s, &d) < 0, "record longer than its report");
	kbuf_free(&s.in);
}

static void expect_bad(struct kw_group_spec s, const char *needle)
{
	const char *m = kw_spec_check(&s);
	CHECK(m != NULL && strstr(m, needle), "expected a message with \"%s\", got \"%s\"", needle, m ? m : "(valid)");
}

static void test_spec_check(void)
{
	uint64_t one = 1, five[] = { 1, 2, 3, 4, 5 };
	expect_bad(tw_spec(1, 0, 1, 0, NULL), "unknown work type 0");
	expect_bad(tw_spec(1, 21, 1, 0, NULL), "unknown work type 21");
	expect_bad(tw_spec(1, KW_CPU_SPIN, 0, 0, NULL), "worker count");
	expect_bad(tw_spec(1, KW_PIPE_IO, 3, 0, NULL), "divisible by 2");
	expect_bad(tw_spec(1, KW_FUTEX_FAN_OUT, 4, 0, NULL), "divisible by 5");
	expect_bad(tw_spec(1, KW_MUTEX_CONTENTION, 6, 0, NULL), "divisible by 4");
	expect_bad(tw_spec(1, KW_CPU_SPIN, 1, 1, &one), "takes 0 parameters");
	expect_bad(tw_spec(1, KW_FAN_OUT_COMPUTE, 5, 4, five), "divisible by 2"); /* fan_out 1 */
	expect_bad(tw_spec(1, KW_SEQUENCE, 1, 0, NULL), "at least one phase");
	expect_bad(tw_spec(1, KW_CUSTOM, 1, 0, NULL), "Custom needs a program");
	struct kw_group_spec s = tw_spec(1, KW_CPU_SPIN, 1, 0, NULL);
	s.custom_argv = argv_custom;
	expect_bad(s, "takes no custom_argv");
	s = tw_spec(1, KW_CPU_SPIN, 1, 0, NULL);
	s.policy = 4;
	expect_bad(s, "unknown scheduling policy 4");
	s.policy = KW_POLICY_FIFO;
	expect_bad(s, "priority must be 1..99");
	s.policy = KW_POLICY_NORMAL;
	s.priority = 3;
	expect_bad(s, "needs FIFO or RR");
	s.priority = 0;
	s.nice = 20;
	expect_bad(s, "nice must be");
	s = spec_sequence();
	s.count = 3;
	expect_bad(s, "one entry per worker");
	s = spec_sequence();
	s.phases[1].kind = 9;
	expect_bad(s, "unknown kind 9");
	char *bad_aff[] = { "0-1", "x", NULL };
	s = spec_sequence();
	s.affinity = bad_aff;
	expect_bad(s, "bad CPU list \"x\"");
	s = spec_sequence();
	s.mem_nodes = "";
	expect_bad(s, "needs a node list");
	s = spec_cpu_spin();
	s.mem_nodes = "0";
	expect_bad(s, "takes no nodes");
	s = spec_sequence();
	s.mpol_flags = 1;
	expect_bad(s, "unknown memory policy flags");
	s = spec_cpu_spin();
	s.mempolicy = 7;
	expect_bad(s, "unknown memory policy 7");
	uint64_t huge = 1ULL << 40;
	expect_bad(tw_spec(1, KW_CACHE_PRESSURE, 1, 1, &huge), "above the limit");

	/* params: 0 and absent mean the default */
	uint64_t p0[] = { 0, 7 };
	s = tw_spec(1, KW_BURSTY, 1, 2, p0);
	CHECK(kw_param(&s, 0) == 50 && kw_param(&s, 1) == 7 && kw_param(&s, 2) == 0, "Bursty params");
	s = tw_spec(1, KW_FAN_OUT_COMPUTE, 5, 0, NULL);
	CHECK(kw_param(&s, 3) == 100 && kw_group_size(&s) == 5 && kw_spec_check(&s) == NULL, "FanOutCompute defaults");

	/* decode refuses more than 4 params */
	struct kbuf b;
	kbuf_init(&b);
	kbuf_u32(&b, 1);
	kbuf_str(&b, "");
	kbuf_u32(&b, KW_CPU_SPIN);
	kbuf_u32(&b, 5);
	struct kbuf_reader r;
	kbr_init(&r, b.data, b.len);
	struct kw_group_spec d;
	const char *err = NULL;
	CHECK(kw_spec_decode(&r, &d, &err) < 0 && err && strstr(err, "more than 4"), "nparams 5: %s", err);
	kbuf_free(&b);
}

int main(void)
{
	init_golden_dir();
	RUN(test_hist_index);
	RUN(test_cpulist);
	RUN(test_spec_golden);
	RUN(test_report_golden);
	RUN(test_report_records);
	RUN(test_spec_check);
	return tw_finish("test_work_wire");
}

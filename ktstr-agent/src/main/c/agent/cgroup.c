// SPDX-License-Identifier: Apache-2.0
/* cgroup v2 operations under the agent's root. Every cgroupfs write goes through cg_write_file,
 * which gives up after a timeout: with a broken sched_ext scheduler, cgroup migrations can block. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "log.h"

#define CG_TIMEOUT_MS 2000
#define CGROUP2_SUPER_MAGIC 0x63677270

struct write_job {
	pthread_mutex_t lock;
	pthread_cond_t done_cv;
	int done;
	int result;
	int refs; /* the caller and the thread; the last one frees */
	char *path;
	char *value;
};

static void job_put(struct write_job *j)
{
	pthread_mutex_lock(&j->lock);
	int last = --j->refs == 0;
	pthread_mutex_unlock(&j->lock);
	if (last) {
		pthread_mutex_destroy(&j->lock);
		pthread_cond_destroy(&j->done_cv);
		free(j->path);
		free(j->value);
		free(j);
	}
}

static void *write_thread(void *arg)
{
	struct write_job *j = arg;
	int rc = 0;
	int fd = open(j->path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = errno;
	} else {
		size_t n = strlen(j->value);
		/* An empty value must still be written (it clears cpuset files). */
		ssize_t w = write(fd, n ? j->value : "\n", n ? n : 1);
		if (w < 0)
			rc = errno;
		if (close(fd) != 0 && rc == 0)
			rc = errno;
	}
	pthread_mutex_lock(&j->lock);
	j->result = rc;
	j->done = 1;
	pthread_cond_signal(&j->done_cv);
	pthread_mutex_unlock(&j->lock);
	job_put(j);
	return NULL;
}

int cg_write_file(const char *path, const char *value, int timeout_ms)
{
	struct write_job *j = calloc(1, sizeof(*j));
	if (!j)
		return ENOMEM;
	j->path = strdup(path);
	j->value = strdup(value);
	if (!j->path || !j->value) {
		free(j->path);
		free(j->value);
		free(j);
		return ENOMEM;
	}
	pthread_mutex_init(&j->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&j->done_cv, &ca);
	pthread_condattr_destroy(&ca);
	j->refs = 2;
	pthread_t t;
	pthread_attr_t ta;
	pthread_attr_init(&ta);
	pthread_attr_setdetachstate(&ta, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&ta, 64 * 1024);
	int rc = pthread_create(&t, &ta, write_thread, j);
	pthread_attr_destroy(&ta);
	if (rc) {
		j->refs = 1;
		job_put(j);
		return rc;
	}
	struct timespec dl;
	clock_gettime(CLOCK_MONOTONIC, &dl);
	dl.tv_sec += timeout_ms / 1000;
	dl.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (dl.tv_nsec >= 1000000000L) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&j->lock);
	while (!j->done) {
		if (pthread_cond_timedwait(&j->done_cv, &j->lock, &dl) == ETIMEDOUT)
			break;
	}
	int result = j->done ? j->result : ETIMEDOUT;
	pthread_mutex_unlock(&j->lock);
	job_put(j);
	return result;
}

int cg_path(const struct agent *a, const char *rel, char *out, size_t outlen)
{
	if (a->cg_unavailable[0] && rel[0])
		return ENOTSUP;
	if (rel[0] == '/' || strstr(rel, "..")) {
		return EINVAL;
	}
	int n = rel[0] ? snprintf(out, outlen, "%s/%s", a->cg_root, rel) : snprintf(out, outlen, "%s", a->cg_root);
	return n < 0 || (size_t)n >= outlen ? ENAMETOOLONG : 0;
}

/* Enables +cpuset (required) and +cpu (best effort) for the children of `dir`. */
static int enable_controllers(const char *dir, char *err, size_t errlen)
{
	char p[600];
	snprintf(p, sizeof(p), "%s/cgroup.subtree_control", dir);
	int rc = cg_write_file(p, "+cpuset", CG_TIMEOUT_MS);
	if (rc) {
		snprintf(err, errlen, "enable cpuset controller in %s: %s", dir, strerror(rc));
		return rc;
	}
	rc = cg_write_file(p, "+cpu", CG_TIMEOUT_MS);
	if (rc)
		log_warn("enable cpu controller in %s: %s (continuing without it)", dir, strerror(rc));
	return 0;
}

int cg_setup(struct agent *a, const char *root, char *err, size_t errlen)
{
	snprintf(a->cg_root, sizeof(a->cg_root), "%s", root);
	char parent[512];
	snprintf(parent, sizeof(parent), "%s", root);
	char *slash = strrchr(parent, '/');
	if (!slash || slash == parent) {
		snprintf(err, errlen, "cgroup root '%s' must be a directory below a cgroup2 mount", root);
		return EINVAL;
	}
	*slash = 0;
	/* Tasks leave a cgroup for the hierarchy root, which is exempt from "no internal processes". */
	snprintf(a->cg_drain, sizeof(a->cg_drain), "%s", parent);
	struct statfs sf;
	if (statfs(parent, &sf) != 0 || sf.f_type != CGROUP2_SUPER_MAGIC) {
		snprintf(err, errlen, "%s is not a cgroup v2 mount (this system uses cgroup v1 or a hybrid layout): "
			 "cgroups and cpusets are unavailable", parent);
		snprintf(a->cg_unavailable, sizeof(a->cg_unavailable), "%s", err);
		return ENOTSUP;
	}
	char ctl[600], have[512] = "";
	snprintf(ctl, sizeof(ctl), "%s/cgroup.controllers", parent);
	FILE *cf = fopen(ctl, "re");
	if (cf) {
		if (!fgets(have, sizeof(have), cf))
			have[0] = 0;
		fclose(cf);
	}
	if (!strstr(have, "cpuset")) {
		snprintf(err, errlen, "the cgroup v2 hierarchy at %s offers no cpuset controller (controllers: %s): "
			 "cgroups and cpusets are unavailable", parent, have[0] ? have : "none");
		snprintf(a->cg_unavailable, sizeof(a->cg_unavailable), "%s", err);
		return ENOTSUP;
	}
	int rc = enable_controllers(parent, err, errlen);
	if (rc) {
		snprintf(a->cg_unavailable, sizeof(a->cg_unavailable), "%s", err);
		return rc;
	}
	if (mkdir(root, 0755) != 0 && errno != EEXIST) {
		rc = errno;
		snprintf(err, errlen, "mkdir %s: %s", root, strerror(rc));
		snprintf(a->cg_unavailable, sizeof(a->cg_unavailable), "%s", err);
		return rc;
	}
	rc = enable_controllers(root, err, errlen);
	if (rc)
		snprintf(a->cg_unavailable, sizeof(a->cg_unavailable), "%s", err);
	return rc;
}

/* Reads a small cgroup file into buf (NUL-terminated, trailing newline removed); "" when unreadable. */
static void read_small_file(const char *dir, const char *file, char *buf, size_t cap)
{
	char p[700];
	snprintf(p, sizeof(p), "%s/%s", dir, file);
	buf[0] = 0;
	FILE *f = fopen(p, "re");
	if (!f)
		return;
	if (!fgets(buf, (int)cap, f))
		buf[0] = 0;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
}

static int has_tasks(const char *dir)
{
	char procs[32];
	read_small_file(dir, "cgroup.procs", procs, sizeof(procs));
	return procs[0] != 0;
}

/*
 * cgroup v2 lets a (non-root) cgroup hold tasks or enable controllers for its children, not both:
 * enabling them while it holds tasks turns it into a thread root whose new children cannot get
 * controllers (EOPNOTSUPP), and tasks cannot join it while they are enabled (EBUSY). So an
 * intermediate level gets the controllers when it is created empty (cpusets and cpu weights for
 * nested children, as schedulers see them), and not when it already holds tasks; a cpuset write
 * below such a level says why it cannot work (ensure_cpuset_above), and tasks moved into a level
 * with controllers enabled make it give them up first (make_room_for_tasks).
 */
int cg_create(struct agent *a, const char *rel, char *err, size_t errlen)
{
	char path[600];
	int rc = cg_path(a, rel, path, sizeof(path));
	if (rc || !rel[0]) {
		snprintf(err, errlen, "bad cgroup path '%s'", rel);
		return EINVAL;
	}
	size_t base = strlen(a->cg_root);
	for (char *p = path + base + 1;; p++) {
		if (*p == '/' || *p == 0) {
			char saved = *p;
			*p = 0;
			if (mkdir(path, 0755) != 0 && errno != EEXIST) {
				rc = errno;
				snprintf(err, errlen, "mkdir %s: %s", path, strerror(rc));
				return rc;
			}
			if (saved == '/') {
				char why[512];
				if (has_tasks(path))
					log_warn("%s holds tasks: its children get no cpuset or cpu controller", path);
				else if (enable_controllers(path, why, sizeof(why)) != 0)
					log_warn("%s (its children get no cpuset)", why);
			}
			*p = saved;
			if (saved == 0)
				break;
		}
	}
	return 0;
}

/* +cpuset in every level between the agent's root and the cgroup at `path` (the root has it). */
static int ensure_cpuset_above(struct agent *a, char *path, char *err, size_t errlen)
{
	size_t base = strlen(a->cg_root);
	char *last = strrchr(path, '/');
	for (char *p = path + base + 1; p < last; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		char ctl[256];
		read_small_file(path, "cgroup.subtree_control", ctl, sizeof(ctl));
		int rc = 0;
		if (!strstr(ctl, "cpuset")) {
			if (has_tasks(path)) {
				snprintf(err, errlen, "%s holds tasks: cgroup v2 gives its children cpusets only while it "
					 "holds none", path);
				rc = EBUSY;
			} else {
				rc = enable_controllers(path, err, errlen);
			}
		}
		*p = '/';
		if (rc)
			return rc;
	}
	return 0;
}

/* Before tasks join the cgroup at `dir`: a non-root cgroup with controllers enabled for its
 * children gives them up, unless a child uses them (its own cpuset or controllers). */
static int make_room_for_tasks(struct agent *a, const char *dir, char *err, size_t errlen)
{
	char ctl[256];
	if (!strcmp(dir, a->cg_root) || !strcmp(dir, a->cg_drain))
		return 0;
	read_small_file(dir, "cgroup.subtree_control", ctl, sizeof(ctl));
	if (!ctl[0])
		return 0;
	DIR *d = opendir(dir);
	if (!d) {
		int rc = errno;
		snprintf(err, errlen, "opendir %s: %s", dir, strerror(rc));
		return rc;
	}
	struct dirent *e;
	int rc = 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		char child[600], cpus[256], sub[256];
		snprintf(child, sizeof(child), "%s/%s", dir, e->d_name);
		read_small_file(child, "cpuset.cpus", cpus, sizeof(cpus));
		read_small_file(child, "cgroup.subtree_control", sub, sizeof(sub));
		if (cpus[0] || sub[0]) {
			snprintf(err, errlen, "tasks cannot join %s: cgroup v2 allows tasks beside child cgroups only "
				 "while no controller is enabled for them, and %s uses them (%s%s)", dir, child,
				 cpus[0] ? "cpuset " : "controllers ", cpus[0] ? cpus : sub);
			rc = EBUSY;
			break;
		}
	}
	closedir(d);
	if (rc)
		return rc;
	char p[700], drop[300] = "", copy[256];
	snprintf(p, sizeof(p), "%s/cgroup.subtree_control", dir);
	snprintf(copy, sizeof(copy), "%s", ctl);
	char *save = NULL;
	for (char *tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		size_t used = strlen(drop);
		snprintf(drop + used, sizeof(drop) - used, "%s-%s", used ? " " : "", tok);
	}
	if ((rc = cg_write_file(p, drop, CG_TIMEOUT_MS)) != 0)
		snprintf(err, errlen, "write '%s' to %s: %s", drop, p, strerror(rc));
	else
		log_info("%s gave up its children's controllers (%s) to hold tasks", dir, ctl);
	return rc;
}

static int read_pids(const char *dir, pid_t **out, size_t *n)
{
	char p[600];
	snprintf(p, sizeof(p), "%s/cgroup.procs", dir);
	FILE *f = fopen(p, "re");
	if (!f)
		return errno;
	pid_t *v = NULL;
	size_t cnt = 0, cap = 0;
	long pid;
	while (fscanf(f, "%ld", &pid) == 1) {
		if (cnt == cap) {
			cap = cap ? cap * 2 : 64;
			pid_t *q = realloc(v, cap * sizeof(*v));
			if (!q) {
				free(v);
				fclose(f);
				return ENOMEM;
			}
			v = q;
		}
		v[cnt++] = (pid_t)pid;
	}
	fclose(f);
	*out = v;
	*n = cnt;
	return 0;
}

/* Moves one pid, retrying EBUSY (sched_ext's cgroup_prep_move) and ignoring ESRCH (it exited). */
static int move_pid_abs(const char *dir, pid_t pid)
{
	char p[600], v[32];
	snprintf(p, sizeof(p), "%s/cgroup.procs", dir);
	snprintf(v, sizeof(v), "%d", (int)pid);
	int rc = 0;
	for (int attempt = 0; attempt < 4; attempt++) {
		rc = cg_write_file(p, v, CG_TIMEOUT_MS);
		if (rc == ESRCH)
			return 0;
		if (rc != EBUSY)
			return rc;
		struct timespec ts = {0, 100 * 1000000L};
		nanosleep(&ts, NULL);
	}
	return rc;
}

int cg_move_pid(struct agent *a, const char *rel, pid_t pid, char *err, size_t errlen)
{
	char path[600];
	if (cg_path(a, rel, path, sizeof(path))) {
		snprintf(err, errlen, "bad cgroup path '%s'", rel);
		return EINVAL;
	}
	int rc = make_room_for_tasks(a, path, err, errlen);
	if (rc)
		return rc;
	rc = move_pid_abs(path, pid);
	if (rc)
		snprintf(err, errlen, "move pid %d into %s: %s", (int)pid, path, strerror(rc));
	return rc;
}

static int move_all_abs(const char *from, const char *to, uint32_t *moved, char *err, size_t errlen)
{
	pid_t *pids = NULL;
	size_t n = 0;
	int rc = read_pids(from, &pids, &n);
	if (rc) {
		snprintf(err, errlen, "read %s/cgroup.procs: %s", from, strerror(rc));
		return rc;
	}
	uint32_t done = 0;
	for (size_t i = 0; i < n; i++) {
		rc = move_pid_abs(to, pids[i]);
		if (rc) {
			snprintf(err, errlen, "move pid %d from %s to %s: %s", (int)pids[i], from, to, strerror(rc));
			free(pids);
			return rc;
		}
		done++;
	}
	free(pids);
	if (moved)
		*moved = done;
	return 0;
}

int cg_move_all(struct agent *a, const char *from, const char *to, uint32_t *moved, char *err, size_t errlen)
{
	char f[600], t[600];
	if (cg_path(a, from, f, sizeof(f)) || cg_path(a, to, t, sizeof(t))) {
		snprintf(err, errlen, "bad cgroup path '%s' or '%s'", from, to);
		return EINVAL;
	}
	int rc = make_room_for_tasks(a, t, err, errlen);
	if (rc)
		return rc;
	return move_all_abs(f, t, moved, err, errlen);
}

static int remove_tree(struct agent *a, const char *dir, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	if (!d) {
		int rc = errno;
		if (rc == ENOENT)
			return 0;
		snprintf(err, errlen, "opendir %s: %s", dir, strerror(rc));
		return rc;
	}
	struct dirent *e;
	int rc = 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		char child[600];
		int n = snprintf(child, sizeof(child), "%s/%s", dir, e->d_name);
		if (n < 0 || (size_t)n >= sizeof(child))
			continue;
		if ((rc = remove_tree(a, child, err, errlen)) != 0)
			break;
	}
	closedir(d);
	if (rc)
		return rc;
	if ((rc = move_all_abs(dir, a->cg_drain, NULL, err, errlen)) != 0)
		return rc;
	/* Exiting tasks can keep a cgroup busy for a moment after they left cgroup.procs. */
	for (int attempt = 0; attempt < 20; attempt++) {
		if (rmdir(dir) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			break;
		struct timespec ts = {0, 50 * 1000000L};
		nanosleep(&ts, NULL);
	}
	rc = errno;
	snprintf(err, errlen, "rmdir %s: %s", dir, strerror(rc));
	return rc;
}

int cg_remove(struct agent *a, const char *rel, char *err, size_t errlen)
{
	char path[600];
	if (cg_path(a, rel, path, sizeof(path)) || !rel[0]) {
		snprintf(err, errlen, "bad cgroup path '%s'", rel);
		return EINVAL;
	}
	return remove_tree(a, path, err, errlen);
}

int cg_set_cpuset(struct agent *a, const char *rel, const char *cpus, const char *mems, char *err, size_t errlen)
{
	char path[600], f[700];
	if (cg_path(a, rel, path, sizeof(path))) {
		snprintf(err, errlen, "bad cgroup path '%s'", rel);
		return EINVAL;
	}
	int rc = ensure_cpuset_above(a, path, err, errlen);
	if (rc)
		return rc;
	snprintf(f, sizeof(f), "%s/cpuset.cpus", path);
	rc = cg_write_file(f, cpus, CG_TIMEOUT_MS);
	if (rc) {
		snprintf(err, errlen, "write '%s' to %s: %s", cpus, f, strerror(rc));
		return rc;
	}
	snprintf(f, sizeof(f), "%s/cpuset.mems", path);
	rc = cg_write_file(f, mems, CG_TIMEOUT_MS);
	if (rc) {
		snprintf(err, errlen, "write '%s' to %s: %s", mems, f, strerror(rc));
		return rc;
	}
	return 0;
}

int cg_write(struct agent *a, const char *rel, const char *file, const char *value, char *err, size_t errlen)
{
	char path[600], f[800];
	if (cg_path(a, rel, path, sizeof(path)) || strchr(file, '/')) {
		snprintf(err, errlen, "bad cgroup file '%s' in '%s'", file, rel);
		return EINVAL;
	}
	snprintf(f, sizeof(f), "%s/%s", path, file);
	int rc = cg_write_file(f, value, CG_TIMEOUT_MS);
	if (rc)
		snprintf(err, errlen, "write '%s' to %s: %s", value, f, strerror(rc));
	return rc;
}

void cg_cleanup(struct agent *a)
{
	char err[512];
	if (a->cg_unavailable[0])
		return;
	DIR *d = opendir(a->cg_root);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		char child[600];
		int n = snprintf(child, sizeof(child), "%s/%s", a->cg_root, e->d_name);
		if (n > 0 && (size_t)n < sizeof(child) && remove_tree(a, child, err, sizeof(err)))
			log_warn("cleanup: %s", err);
	}
	closedir(d);
}

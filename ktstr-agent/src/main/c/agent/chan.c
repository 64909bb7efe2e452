// SPDX-License-Identifier: Apache-2.0
/* Framing and transports of ktstr_wire.h. Nothing here polls: input arrives as doorbell bytes on
 * COM2 (VM) or pipe bytes (bare metal), and a writer facing a full ring blocks on COM2. */
#include "chan.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <termios.h>
#include <unistd.h>

#include "ktstr_crc32.h"
#include "ktstr_io.h"

enum chan_kind { CHAN_SHM, CHAN_FDS };

struct chan {
	enum chan_kind kind;
	int in_fd;
	int out_fd;
	uint8_t *region;
	size_t region_size;
	struct ktstr_shm_hdr *hdr;
	uint8_t *rx;
	size_t rx_len;
	size_t rx_cap;
	char err[256];
};

static void set_err(struct chan *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_err(struct chan *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
}

const char *chan_error(const struct chan *c)
{
	return c->err;
}

int chan_fd(const struct chan *c)
{
	return c->in_fd;
}

static int rx_append(struct chan *c, const uint8_t *p, size_t n)
{
	if (c->rx_len + n > c->rx_cap) {
		size_t cap = c->rx_cap ? c->rx_cap : 65536;
		while (cap < c->rx_len + n)
			cap *= 2;
		uint8_t *q = realloc(c->rx, cap);
		if (!q) {
			set_err(c, "out of memory buffering %zu bytes from the host", c->rx_len + n);
			return -1;
		}
		c->rx = q;
		c->rx_cap = cap;
	}
	memcpy(c->rx + c->rx_len, p, n);
	c->rx_len += n;
	return 0;
}

/* ---- shared-memory rings ------------------------------------------------------------------- */

static int bell(struct chan *c, char what)
{
	if (ktstr_write_all(c->out_fd, &what, 1)) {
		set_err(c, "doorbell write failed: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static uint8_t *ring_data(struct chan *c, int i)
{
	return c->region + c->hdr->ring_off[i];
}

/* Copies everything the host has written to ring 0 into rx, frees the space, and wakes a
 * host writer that waits for it. */
static int drain_rx(struct chan *c)
{
	struct ktstr_shm_ring *r = &c->hdr->ring[0];
	uint64_t size = c->hdr->ring_size[0];
	uint64_t w = __atomic_load_n(&r->write_pos, __ATOMIC_ACQUIRE);
	uint64_t rd = r->read_pos;
	if (w == rd)
		return 0;
	if (w - rd > size) {
		set_err(c, "ring 0 corrupt: write_pos %llu read_pos %llu size %llu", (unsigned long long)w,
			(unsigned long long)rd, (unsigned long long)size);
		return -1;
	}
	while (rd < w) {
		uint64_t off = rd % size;
		uint64_t n = w - rd;
		if (n > size - off)
			n = size - off;
		if (rx_append(c, ring_data(c, 0) + off, (size_t)n))
			return -1;
		rd += n;
	}
	__atomic_store_n(&r->read_pos, rd, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&r->writer_waiting, __ATOMIC_ACQUIRE)) {
		__atomic_store_n(&r->writer_waiting, 0, __ATOMIC_RELEASE);
		return bell(c, KTSTR_BELL_CONSUMED);
	}
	return 0;
}

/* Reads doorbells; returns 1 when a CONSUMED bell was seen, 0 otherwise, -1 on EOF/error. */
static int read_bells(struct chan *c)
{
	uint8_t buf[256];
	ssize_t n;
	do {
		n = read(c->in_fd, buf, sizeof(buf));
	} while (n < 0 && errno == EINTR);
	if (n == 0) {
		set_err(c, "doorbell line closed by the host");
		return -1;
	}
	if (n < 0) {
		if (errno == EAGAIN)
			return 0;
		set_err(c, "doorbell read failed: %s", strerror(errno));
		return -1;
	}
	int consumed = 0;
	for (ssize_t i = 0; i < n; i++)
		if (buf[i] == KTSTR_BELL_CONSUMED)
			consumed = 1;
	/* Any bell may mean new host bytes; draining is cheap and idempotent. */
	if (drain_rx(c))
		return -1;
	return consumed;
}

static int ring_write(struct chan *c, const uint8_t *p, size_t n)
{
	struct ktstr_shm_ring *r = &c->hdr->ring[1];
	uint64_t size = c->hdr->ring_size[1];
	uint64_t w = r->write_pos;
	while (n) {
		uint64_t rd = __atomic_load_n(&r->read_pos, __ATOMIC_ACQUIRE);
		uint64_t space = size - (w - rd);
		if (space == 0) {
			__atomic_store_n(&r->writer_waiting, 1, __ATOMIC_RELEASE);
			__atomic_thread_fence(__ATOMIC_SEQ_CST);
			rd = __atomic_load_n(&r->read_pos, __ATOMIC_ACQUIRE);
			if (size - (w - rd) == 0) {
				if (bell(c, KTSTR_BELL_MSG))
					return -1;
				int got;
				while ((got = read_bells(c)) == 0) {
					rd = __atomic_load_n(&r->read_pos, __ATOMIC_ACQUIRE);
					if (size - (w - rd) != 0)
						break;
				}
				if (got < 0)
					return -1;
			}
			continue;
		}
		uint64_t off = w % size;
		uint64_t k = n < space ? n : space;
		if (k > size - off)
			k = size - off;
		memcpy(ring_data(c, 1) + off, p, (size_t)k);
		w += k;
		p += k;
		n -= (size_t)k;
		__atomic_store_n(&r->write_pos, w, __ATOMIC_RELEASE);
	}
	return 0;
}

static int open_tty_raw(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "open %s: %s", path, strerror(errno));
		return -1;
	}
	struct termios t;
	if (tcgetattr(fd, &t) == 0) {
		cfmakeraw(&t);
		t.c_cflag |= CLOCAL | CREAD;
		t.c_cflag &= ~(CRTSCTS | HUPCL);
		t.c_iflag &= ~(IXON | IXOFF | IXANY);
		t.c_cc[VMIN] = 1;
		t.c_cc[VTIME] = 0;
		cfsetispeed(&t, B115200);
		cfsetospeed(&t, B115200);
		if (tcsetattr(fd, TCSANOW, &t) != 0) {
			snprintf(err, errlen, "tcsetattr %s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
	}
	return fd;
}

/* Largest power of two not above v. */
static uint64_t floor_pow2(uint64_t v)
{
	uint64_t p = 1;
	while (p <= v / 2)
		p *= 2;
	return p;
}

struct chan *chan_open_shm(uint64_t gpa, uint64_t size, const char *tty, char *err, size_t errlen)
{
	if (size < 3 * KTSTR_SHM_HDR) {
		snprintf(err, errlen, "agent region of %llu bytes is too small", (unsigned long long)size);
		return NULL;
	}
	int mem = open("/dev/mem", O_RDWR | O_CLOEXEC);
	if (mem < 0) {
		snprintf(err, errlen, "open /dev/mem: %s (kernel needs CONFIG_DEVMEM and iomem=relaxed)",
			 strerror(errno));
		return NULL;
	}
	void *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, mem, (off_t)gpa);
	close(mem);
	if (m == MAP_FAILED) {
		snprintf(err, errlen, "mmap /dev/mem at 0x%llx+0x%llx: %s", (unsigned long long)gpa,
			 (unsigned long long)size, strerror(errno));
		return NULL;
	}
	struct chan *c = calloc(1, sizeof(*c));
	if (!c) {
		munmap(m, size);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->kind = CHAN_SHM;
	c->region = m;
	c->region_size = size;
	c->hdr = m;
	c->in_fd = c->out_fd = open_tty_raw(tty, err, errlen);
	if (c->in_fd < 0) {
		munmap(m, size);
		free(c);
		return NULL;
	}
	/* Layout: header page, host->guest ring (1/8 of the rest), guest->host ring (the rest). */
	uint64_t avail = size - KTSTR_SHM_HDR;
	uint64_t r0 = floor_pow2(avail / 8);
	uint64_t r1 = floor_pow2(avail - r0);
	memset(c->hdr, 0, sizeof(*c->hdr));
	c->hdr->version = KTSTR_WIRE_VERSION;
	c->hdr->region_size = size;
	c->hdr->ring_off[0] = KTSTR_SHM_HDR;
	c->hdr->ring_size[0] = r0;
	c->hdr->ring_off[1] = KTSTR_SHM_HDR + r0;
	c->hdr->ring_size[1] = r1;
	__atomic_store_n(&c->hdr->magic, KTSTR_SHM_MAGIC, __ATOMIC_RELEASE);
	return c;
}

struct chan *chan_open_fds(int in_fd, int out_fd)
{
	struct chan *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->kind = CHAN_FDS;
	c->in_fd = in_fd;
	c->out_fd = out_fd;
	return c;
}

int chan_pump(struct chan *c)
{
	if (c->kind == CHAN_SHM)
		return read_bells(c) < 0 ? -1 : 0;
	uint8_t buf[65536];
	ssize_t n;
	do {
		n = read(c->in_fd, buf, sizeof(buf));
	} while (n < 0 && errno == EINTR);
	if (n == 0) {
		set_err(c, "host closed the agent's input");
		return -1;
	}
	if (n < 0) {
		if (errno == EAGAIN)
			return 0;
		set_err(c, "read from host: %s", strerror(errno));
		return -1;
	}
	return rx_append(c, buf, (size_t)n);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

int chan_next(struct chan *c, struct ktstr_msg_hdr *h, uint8_t **payload)
{
	if (c->rx_len < KTSTR_HDR_SIZE)
		return 0;
	const uint8_t *p = c->rx;
	h->magic = get32(p);
	h->version = (uint16_t)(p[4] | p[5] << 8);
	h->type = (uint16_t)(p[6] | p[7] << 8);
	h->id = get32(p + 8);
	h->len = get32(p + 12);
	h->crc32 = get32(p + 16);
	h->flags = get32(p + 20);
	if (h->magic != KTSTR_WIRE_MAGIC) {
		set_err(c, "bad message magic 0x%08x", h->magic);
		return -1;
	}
	if (h->version != KTSTR_WIRE_VERSION) {
		set_err(c, "wire version %u, agent speaks %u", h->version, KTSTR_WIRE_VERSION);
		return -1;
	}
	if (h->len > KTSTR_MAX_PAYLOAD) {
		set_err(c, "message of %u bytes exceeds the limit", h->len);
		return -1;
	}
	if (c->rx_len < KTSTR_HDR_SIZE + (size_t)h->len)
		return 0;
	uint8_t *body = malloc(h->len ? h->len : 1);
	if (!body) {
		set_err(c, "out of memory for a %u-byte message", h->len);
		return -1;
	}
	memcpy(body, p + KTSTR_HDR_SIZE, h->len);
	if (ktstr_crc32(body, h->len) != h->crc32) {
		free(body);
		set_err(c, "CRC mismatch on message type 0x%02x id %u", h->type, h->id);
		return -1;
	}
	size_t used = KTSTR_HDR_SIZE + (size_t)h->len;
	memmove(c->rx, c->rx + used, c->rx_len - used);
	c->rx_len -= used;
	*payload = body;
	return 1;
}

int chan_send(struct chan *c, uint16_t type, uint32_t id, uint32_t flags, const void *payload, size_t len)
{
	uint8_t h[KTSTR_HDR_SIZE];
	put32(h, KTSTR_WIRE_MAGIC);
	h[4] = KTSTR_WIRE_VERSION & 0xff;
	h[5] = KTSTR_WIRE_VERSION >> 8;
	h[6] = (uint8_t)type;
	h[7] = (uint8_t)(type >> 8);
	put32(h + 8, id);
	put32(h + 12, (uint32_t)len);
	put32(h + 16, ktstr_crc32(payload, len));
	put32(h + 20, flags);
	if (c->kind == CHAN_FDS) {
		if (ktstr_write_all(c->out_fd, h, sizeof(h)) || ktstr_write_all(c->out_fd, payload, len)) {
			set_err(c, "write to host: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	if (ring_write(c, h, sizeof(h)) || ring_write(c, payload, len))
		return -1;
	return bell(c, KTSTR_BELL_MSG);
}

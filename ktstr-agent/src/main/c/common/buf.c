// SPDX-License-Identifier: Apache-2.0
/* Wire primitives of ktstr_wire.h: little-endian puts into a growable buffer, checked reads. */
#include "ktstr_buf.h"

#include <stdlib.h>
#include <string.h>

void kbuf_init(struct kbuf *b)
{
	memset(b, 0, sizeof(*b));
}

void kbuf_free(struct kbuf *b)
{
	free(b->data);
	kbuf_init(b);
}

void kbuf_reset(struct kbuf *b)
{
	b->len = 0;
	b->oom = 0;
}

static int kbuf_reserve(struct kbuf *b, size_t n)
{
	if (b->oom)
		return -1;
	if (b->len + n <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + n)
		cap *= 2;
	uint8_t *p = realloc(b->data, cap);
	if (!p) {
		b->oom = 1;
		return -1;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

void kbuf_put(struct kbuf *b, const void *p, size_t n)
{
	if (n == 0 || kbuf_reserve(b, n))
		return;
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

static void put_le(struct kbuf *b, uint64_t v, int width)
{
	uint8_t tmp[8];
	for (int i = 0; i < width; i++)
		tmp[i] = (uint8_t)(v >> (8 * i));
	kbuf_put(b, tmp, (size_t)width);
}

void kbuf_u8(struct kbuf *b, uint8_t v) { put_le(b, v, 1); }
void kbuf_u16(struct kbuf *b, uint16_t v) { put_le(b, v, 2); }
void kbuf_u32(struct kbuf *b, uint32_t v) { put_le(b, v, 4); }
void kbuf_u64(struct kbuf *b, uint64_t v) { put_le(b, v, 8); }
void kbuf_i32(struct kbuf *b, int32_t v) { put_le(b, (uint32_t)v, 4); }
void kbuf_i64(struct kbuf *b, int64_t v) { put_le(b, (uint64_t)v, 8); }

void kbuf_strn(struct kbuf *b, const char *s, size_t n)
{
	kbuf_u32(b, (uint32_t)n);
	kbuf_put(b, s, n);
}

void kbuf_str(struct kbuf *b, const char *s)
{
	kbuf_strn(b, s ? s : "", s ? strlen(s) : 0);
}

void kbuf_bytes(struct kbuf *b, const void *p, size_t n)
{
	kbuf_u32(b, (uint32_t)n);
	kbuf_put(b, p, n);
}

void kbuf_strs(struct kbuf *b, char *const *v, uint32_t n)
{
	kbuf_u32(b, n);
	for (uint32_t i = 0; i < n; i++)
		kbuf_str(b, v[i]);
}

void kbr_init(struct kbuf_reader *r, const void *p, size_t len)
{
	r->p = p;
	r->len = len;
	r->off = 0;
	r->err = 0;
}

static const uint8_t *take(struct kbuf_reader *r, size_t n)
{
	if (r->err || n > r->len - r->off) {
		r->err = 1;
		return NULL;
	}
	const uint8_t *p = r->p + r->off;
	r->off += n;
	return p;
}

static uint64_t get_le(struct kbuf_reader *r, int width)
{
	const uint8_t *p = take(r, (size_t)width);
	uint64_t v = 0;
	if (!p)
		return 0;
	for (int i = 0; i < width; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

uint8_t kbr_u8(struct kbuf_reader *r) { return (uint8_t)get_le(r, 1); }
uint16_t kbr_u16(struct kbuf_reader *r) { return (uint16_t)get_le(r, 2); }
uint32_t kbr_u32(struct kbuf_reader *r) { return (uint32_t)get_le(r, 4); }
uint64_t kbr_u64(struct kbuf_reader *r) { return get_le(r, 8); }
int32_t kbr_i32(struct kbuf_reader *r) { return (int32_t)(uint32_t)get_le(r, 4); }
int64_t kbr_i64(struct kbuf_reader *r) { return (int64_t)get_le(r, 8); }

const uint8_t *kbr_bytes(struct kbuf_reader *r, uint32_t *n)
{
	uint32_t len = kbr_u32(r);
	const uint8_t *p = take(r, len);
	*n = p ? len : 0;
	return p;
}

char *kbr_str(struct kbuf_reader *r)
{
	uint32_t n;
	const uint8_t *p = kbr_bytes(r, &n);
	if (!p && r->err)
		return NULL;
	char *s = malloc((size_t)n + 1);
	if (!s) {
		r->err = 1;
		return NULL;
	}
	if (n)
		memcpy(s, p, n);
	s[n] = 0;
	return s;
}

char **kbr_strs(struct kbuf_reader *r, uint32_t *n)
{
	uint32_t count = kbr_u32(r);
	if (r->err || count > r->len - r->off) { /* each entry needs >= 4 bytes; cheap sanity bound */
		r->err = 1;
		return NULL;
	}
	char **v = calloc((size_t)count + 1, sizeof(char *));
	if (!v) {
		r->err = 1;
		return NULL;
	}
	for (uint32_t i = 0; i < count; i++) {
		v[i] = kbr_str(r);
		if (!v[i]) {
			kbr_free_strs(v);
			return NULL;
		}
	}
	*n = count;
	return v;
}

void kbr_free_strs(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Growable byte buffer and bounds-checked reader for the wire encodings of ktstr_wire.h. */
#ifndef KTSTR_BUF_H
#define KTSTR_BUF_H

#include <stddef.h>
#include <stdint.h>

struct kbuf {
	uint8_t *data;
	size_t len;
	size_t cap;
	int oom; /* set when an allocation failed; further puts are dropped */
};

void kbuf_init(struct kbuf *b);
void kbuf_free(struct kbuf *b);
void kbuf_reset(struct kbuf *b);
void kbuf_put(struct kbuf *b, const void *p, size_t n);
void kbuf_u8(struct kbuf *b, uint8_t v);
void kbuf_u16(struct kbuf *b, uint16_t v);
void kbuf_u32(struct kbuf *b, uint32_t v);
void kbuf_u64(struct kbuf *b, uint64_t v);
void kbuf_i32(struct kbuf *b, int32_t v);
void kbuf_i64(struct kbuf *b, int64_t v);
void kbuf_str(struct kbuf *b, const char *s);              /* NULL encodes as "" */
void kbuf_strn(struct kbuf *b, const char *s, size_t n);
void kbuf_bytes(struct kbuf *b, const void *p, size_t n);
void kbuf_strs(struct kbuf *b, char *const *v, uint32_t n);

struct kbuf_reader {
	const uint8_t *p;
	size_t len;
	size_t off;
	int err; /* set on any out-of-bounds read; values read after that are 0 / NULL */
};

void kbr_init(struct kbuf_reader *r, const void *p, size_t len);
uint8_t kbr_u8(struct kbuf_reader *r);
uint16_t kbr_u16(struct kbuf_reader *r);
uint32_t kbr_u32(struct kbuf_reader *r);
uint64_t kbr_u64(struct kbuf_reader *r);
int32_t kbr_i32(struct kbuf_reader *r);
int64_t kbr_i64(struct kbuf_reader *r);
/* Returns a malloc'd NUL-terminated copy ("" for an empty string); NULL only on error. */
char *kbr_str(struct kbuf_reader *r);
/* Returns a pointer into the buffer and sets *n; NULL on error. */
const uint8_t *kbr_bytes(struct kbuf_reader *r, uint32_t *n);
/* Returns a malloc'd NULL-terminated array of malloc'd strings; *n = count. NULL on error. */
char **kbr_strs(struct kbuf_reader *r, uint32_t *n);
void kbr_free_strs(char **v);

#endif /* KTSTR_BUF_H */

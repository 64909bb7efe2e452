/* Freestanding string and checksum helpers for the probe. */
#include "probe.h"

void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;
	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

int streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* The first space-separated word of cmdline that starts with prefix, or NULL. */
static const char *find_word(const char *cmdline, const char *prefix, size_t *wordlen)
{
	size_t plen = strlen(prefix);
	const char *p = cmdline;
	while (*p) {
		while (*p == ' ')
			p++;
		const char *w = p;
		while (*p && *p != ' ')
			p++;
		size_t len = (size_t)(p - w);
		if (len >= plen && memcmp(w, prefix, plen) == 0) {
			*wordlen = len;
			return w;
		}
	}
	return NULL;
}

int cmdline_get(const char *cmdline, const char *key, char *out, size_t outlen)
{
	char prefix[64];
	size_t klen = strlen(key);
	if (klen + 2 > sizeof(prefix) || outlen == 0)
		return 0;
	memcpy(prefix, key, klen);
	prefix[klen] = '=';
	prefix[klen + 1] = 0;
	size_t wlen;
	const char *w = find_word(cmdline, prefix, &wlen);
	out[0] = 0;
	if (!w)
		return 0;
	size_t vlen = wlen - klen - 1;
	if (vlen >= outlen)
		vlen = outlen - 1;
	memcpy(out, w + klen + 1, vlen);
	out[vlen] = 0;
	return 1;
}

int cmdline_has(const char *cmdline, const char *word)
{
	size_t wlen;
	const char *w = find_word(cmdline, word, &wlen);
	return w && wlen == strlen(word);
}

uint64_t fnv1a64_words(const void *p, uint64_t len)
{
	const uint64_t *w = p;
	uint64_t h = 0xcbf29ce484222325ULL;
	uint64_t n = len / 8;
	for (uint64_t i = 0; i < n; i++) {
		h ^= w[i];
		h *= 0x100000001b3ULL;
	}
	if (len % 8) {
		uint64_t last = 0;
		memcpy(&last, (const uint8_t *)p + n * 8, len % 8);
		h ^= last;
		h *= 0x100000001b3ULL;
	}
	return h;
}

uint8_t sum8(const void *p, uint64_t len)
{
	const uint8_t *b = p;
	uint8_t s = 0;
	for (uint64_t i = 0; i < len; i++)
		s += b[i];
	return s;
}

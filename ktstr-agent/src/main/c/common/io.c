// SPDX-License-Identifier: Apache-2.0
#include "ktstr_io.h"

#include <errno.h>
#include <stdint.h>
#include <unistd.h>

int ktstr_write_all(int fd, const void *p, size_t n)
{
	const uint8_t *b = p;
	while (n) {
		ssize_t k = write(fd, b, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0) {
			errno = EIO; /* a write that makes no progress would loop forever */
			return -1;
		}
		b += k;
		n -= (size_t)k;
	}
	return 0;
}

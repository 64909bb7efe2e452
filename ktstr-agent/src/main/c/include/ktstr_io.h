/* SPDX-License-Identifier: Apache-2.0 */
/* Whole-buffer writes to pipes, sockets and ttys, shared by the agent, the workers and the C tests. */
#ifndef KTSTR_IO_H
#define KTSTR_IO_H

#include <stddef.h>

/* Writes all n bytes, retrying after EINTR and short writes: 0, or -1 with errno set. */
int ktstr_write_all(int fd, const void *p, size_t n);

#endif

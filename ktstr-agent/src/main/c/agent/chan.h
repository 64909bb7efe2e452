/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The agent's channel to the host: message framing of ktstr_wire.h over one of two transports,
 * the shared-memory byte rings with COM2 doorbells (VM) or a pair of pipes (bare metal).
 */
#ifndef KTSTR_AGENT_CHAN_H
#define KTSTR_AGENT_CHAN_H

#include <stddef.h>
#include <stdint.h>

#include "ktstr_wire.h"

struct chan;

/* Maps the region at guest-physical `gpa` through /dev/mem, initialises its header and opens the
 * doorbell tty. Returns NULL with a message in err on failure. */
struct chan *chan_open_shm(uint64_t gpa, uint64_t size, const char *tty, char *err, size_t errlen);

/* Bare metal: messages arrive on in_fd and leave on out_fd. */
struct chan *chan_open_fds(int in_fd, int out_fd);

/* The fd to poll for input. */
int chan_fd(const struct chan *c);

/* Call when chan_fd() is readable. Returns 0, or -1 when the host side is gone or on a fatal error
 * (chan_error() says which). */
int chan_pump(struct chan *c);

/* Extracts the next complete message: 1 with *payload malloc'd (caller frees), 0 when none is
 * complete yet, -1 on a framing error (bad magic, version, size or CRC). */
int chan_next(struct chan *c, struct ktstr_msg_hdr *hdr, uint8_t **payload);

/* Sends one message; blocks while the ring is full. Returns 0 or -1. */
int chan_send(struct chan *c, uint16_t type, uint32_t id, uint32_t flags, const void *payload, size_t len);

const char *chan_error(const struct chan *c);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ktstr agent wire format, version 1. The single definition of every message between the host
 * (Java: dev.ktstr.runtime.agent.Wire mirrors this file) and the guest agent.
 *
 * Framing: every message is a 24-byte header followed by `len` payload bytes.
 * All integers are little-endian. Payload fields are encoded back to back, in the order listed
 * for each message type below, using these primitive encodings:
 *
 *   u8 u16 u32 u64 i32 i64   fixed width, little-endian
 *   str                      u32 byte length + UTF-8 bytes (no terminator)
 *   bytes                    u32 length + raw bytes
 *   strs                     u32 count + count × str
 *   u64s                     u32 count + count × u64
 *
 * Transports (same framing on both):
 *   VM:         two byte rings in a shared guest-RAM region (see struct ktstr_shm_hdr); after writing
 *               one or more messages, the writer sends one doorbell byte on COM2 (/dev/ttyS1);
 *               the reader, woken by the doorbell, drains the ring and sends a CONSUMED doorbell so a
 *               writer waiting for space can continue. Nobody polls: both sides block on COM2.
 *   bare metal: the agent's stdin (host->agent) and stdout (agent->host) pipes carry the messages
 *               directly; no doorbells.
 *
 * Requests carry a non-zero id; the reply echoes it with type KTSTR_MSG_REPLY (flags bit 0 set on
 * error, payload then = i32 errno, str message). Events carry id 0.
 */
#ifndef KTSTR_WIRE_H
#define KTSTR_WIRE_H

#include <stdint.h>

#define KTSTR_WIRE_MAGIC   0x4D53544BU /* "KTSM" as little-endian bytes 'K' 'T' 'S' 'M' */
#define KTSTR_WIRE_VERSION 1
#define KTSTR_HDR_SIZE     24
#define KTSTR_MAX_PAYLOAD  (64U << 20)

struct ktstr_msg_hdr {
	uint32_t magic;   /* KTSTR_WIRE_MAGIC */
	uint16_t version; /* KTSTR_WIRE_VERSION */
	uint16_t type;    /* enum ktstr_msg_type */
	uint32_t id;      /* request id; 0 for events */
	uint32_t len;     /* payload length */
	uint32_t crc32;   /* CRC-32 (IEEE, as zlib/java.util.zip.CRC32) of the payload */
	uint32_t flags;   /* KTSTR_FLAG_* */
};

#define KTSTR_FLAG_ERROR 0x1U

/* ---- shared-memory region (VM transport) -------------------------------------------------- */

#define KTSTR_SHM_MAGIC   0x4D485354U /* "TSHM" */
#define KTSTR_SHM_HDR     4096        /* header page; rings follow */

/* Doorbell bytes on COM2. */
#define KTSTR_BELL_MSG      'M' /* new messages in the ring the receiver reads */
#define KTSTR_BELL_CONSUMED 'C' /* the receiver freed space in the ring the sender writes */

/*
 * The region starts with this header. The *agent* initialises it once it has mapped the region
 * (rings, sizes, positions zero, then magic last with a release store) and then sends HELLO, so the
 * host never writes guest RAM before the guest is ready; the host validates magic on the first
 * doorbell. Ring 0 carries host->guest bytes, ring 1 guest->host bytes; [ring_off[i],
 * ring_off[i] + ring_size[i]) holds ring i's data.
 *
 * Each ring is a flow-controlled byte pipe (messages are framed on top exactly as on the bare-metal
 * pipes, and may be larger than the ring). Positions are monotonic byte counters; the offset inside
 * the ring is pos % ring_size. Writer: copy bytes, store-release write_pos, doorbell MSG. When the
 * ring is full the writer sets writer_waiting (store, full fence), re-checks free space, and blocks on
 * COM2 for a CONSUMED doorbell. Reader: load-acquire write_pos, copy, store-release read_pos, full
 * fence, then if writer_waiting is set: clear it and send CONSUMED. This is lost-wakeup free.
 */
struct ktstr_shm_ring {
	uint64_t write_pos;      /* offset 0 */
	uint64_t read_pos;       /* offset 8 */
	uint32_t writer_waiting; /* offset 16 */
	uint32_t pad0;
	uint64_t pad[5];         /* 64 bytes per ring */
};

struct ktstr_shm_hdr {
	uint32_t magic;         /* offset 0: KTSTR_SHM_MAGIC, stored last */
	uint32_t version;       /* offset 4: KTSTR_WIRE_VERSION */
	uint64_t region_size;   /* offset 8: whole region, bytes */
	uint64_t ring_off[2];   /* offset 16: byte offset of ring data from region start */
	uint64_t ring_size[2];  /* offset 32: bytes, power of two */
	uint8_t  pad[16];       /* offset 48 */
	struct ktstr_shm_ring ring[2]; /* offset 64 and 128 */
};

/* ---- message types -------------------------------------------------------------------------- */

enum ktstr_msg_type {
	/* host -> guest requests */
	KTSTR_MSG_PING = 0x01,          /* (empty) -> reply: u64 guest_monotonic_ns */
	KTSTR_MSG_EXEC = 0x02,          /* strs argv, strs env, str cgroup (""=agent's), u32 timeout_ms,
					   bytes stdin -> reply: i32 exit_code, i32 term_signal,
					   u8 timed_out, bytes stdout, bytes stderr, u64 wall_ns */
	KTSTR_MSG_SPAWN = 0x03,         /* str name, strs argv, strs env, str cgroup, str log_path
					   ("" = capture to memory) -> reply: i32 pid */
	KTSTR_MSG_SIGNAL = 0x04,        /* str name, i32 signal -> reply: (empty) */
	KTSTR_MSG_SHELL = 0x06,         /* str tty (e.g. /dev/ttyS0), strs argv, strs env -> reply when it
					   ends: i32 exit_code, i32 term_signal. An interactive program
					   with the tty as its controlling terminal. */
	KTSTR_MSG_WAIT = 0x05,          /* str name, u32 timeout_ms -> reply: u8 exited, i32 exit_code,
					   i32 term_signal, bytes output (captured output, if any) */
	KTSTR_MSG_CG_CREATE = 0x10,     /* str path (relative to the agent's cgroup root) -> (empty) */
	KTSTR_MSG_CG_REMOVE = 0x11,     /* str path -> (empty); tasks are drained to the root first */
	KTSTR_MSG_CG_SET_CPUSET = 0x12, /* str path, str cpus, str mems ("" = clear) -> (empty) */
	KTSTR_MSG_CG_MOVE_ALL = 0x13,   /* str from, str to -> u32 moved */
	KTSTR_MSG_CG_WRITE = 0x14,      /* str path, str file, str value -> (empty) */
	KTSTR_MSG_W_SPAWN = 0x20,       /* struct kw_group_spec (see ktstr_work.h) -> u32 count, count × i32 pid */
	KTSTR_MSG_W_START = 0x21,       /* u32 n, n × u32 group_id -> (empty) */
	KTSTR_MSG_W_STOP = 0x22,        /* u32 n, n × u32 group_id, u32 deadline_ms
					   -> u32 count, count × kw_report (ktstr_work.h) */
	KTSTR_MSG_W_AFFINITY = 0x23,    /* u32 group_id, strs cpus (one per worker; "" = all) -> (empty) */
	KTSTR_MSG_W_ITERS = 0x24,       /* u32 n, n × u32 group_id -> u64s iterations (workers in order) */
	KTSTR_MSG_W_MOVE = 0x25,        /* u32 group_id, str cgroup -> (empty) */
	KTSTR_MSG_SCHED_START = 0x30,   /* str path, strs args, strs env, str expect_ops,
					   u32 attach_timeout_ms -> reply (also when it did not attach):
					   i32 pid, u8 attached, u8 running, i32 exit_code,
					   i32 term_signal, str state, str ops, bytes output */
	KTSTR_MSG_SCHED_STATUS = 0x31,  /* (empty) -> i32 pid, u8 running, i32 exit_code,
					   i32 term_signal, str state, str ops */
	KTSTR_MSG_SCHED_STOP = 0x32,    /* u32 timeout_ms -> i32 exit_code, i32 term_signal,
					   u8 detached, bytes output */
	KTSTR_MSG_READ_FILE = 0x40,     /* str path, u32 max_bytes -> bytes data */
	KTSTR_MSG_WRITE_FILE = 0x41,    /* str path, bytes data, u8 append -> (empty) */
	KTSTR_MSG_SYSINFO = 0x50,       /* (empty) -> str uname_release, u32 nproc, u32 hz,
					   str cmdline, u64 boot_ns */
	KTSTR_MSG_POWEROFF = 0x7F,      /* i32 code -> (no reply; the VM powers off / agent exits) */

	/* guest -> host */
	KTSTR_MSG_REPLY = 0x80,         /* payload depends on the request type; error: i32 errno, str message */
	KTSTR_MSG_HELLO = 0x81,         /* event: u32 agent_version, str uname_release, u32 nproc,
					   u64 boot_ns (CLOCK_BOOTTIME at agent start), str mode ("vm"|"host"),
					   str cgroup_problem ("" when cgroup v2 with cpuset works) */
	KTSTR_MSG_EV_PROC_EXIT = 0x90,  /* event: str name, i32 pid, i32 exit_code, i32 term_signal */
	KTSTR_MSG_EV_SCHED_EXIT = 0x91, /* event: i32 pid, i32 exit_code, i32 term_signal, str state,
					   bytes output_tail */
	KTSTR_MSG_EV_LOG = 0x92,        /* event: u8 level (0 debug 1 info 2 warn 3 error), str text */
	KTSTR_MSG_EV_CRASH = 0x93,      /* event: str message (agent is about to die) */
	KTSTR_MSG_EV_KMSG = 0x94,       /* event: str line (a sched_ext kernel message, as it appears) */
};

#endif /* KTSTR_WIRE_H */

package dev.ktstr.runtime.agent;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;

/**
 * The Java mirror of {@code ktstr_wire.h} (ktstr-agent/src/main/c/include): frame header layout,
 * message type codes, flags, the shared-region header offsets and the doorbell bytes. Change both
 * files together; {@code WireTest} checks the constants against the header text.
 */
public final class Wire {

    private Wire() {}

    public static final int MAGIC = 0x4D53544B; // "KTSM" as little-endian bytes
    public static final int VERSION = 1;
    public static final int HEADER_SIZE = 24;
    public static final int MAX_PAYLOAD = 64 << 20;
    public static final int FLAG_ERROR = 0x1;

    public static final int SHM_MAGIC = 0x4D485354; // "TSHM"
    public static final int SHM_HEADER = 4096;
    public static final byte BELL_MSG = 'M';
    public static final byte BELL_CONSUMED = 'C';

    /** Offsets inside {@code struct ktstr_shm_hdr}. */
    public static final int SHM_OFF_MAGIC = 0;
    public static final int SHM_OFF_VERSION = 4;
    public static final int SHM_OFF_REGION_SIZE = 8;
    public static final int SHM_OFF_RING_OFF = 16;
    public static final int SHM_OFF_RING_SIZE = 32;
    public static final int SHM_OFF_RING = 64;
    public static final int SHM_RING_STRIDE = 64;
    public static final int RING_OFF_WRITE_POS = 0;
    public static final int RING_OFF_READ_POS = 8;
    public static final int RING_OFF_WRITER_WAITING = 16;

    /** Message types ({@code enum ktstr_msg_type}). */
    public static final int PING = 0x01;
    public static final int EXEC = 0x02;
    public static final int SPAWN = 0x03;
    public static final int SIGNAL = 0x04;
    public static final int WAIT = 0x05;
    public static final int SHELL = 0x06;
    public static final int CG_CREATE = 0x10;
    public static final int CG_REMOVE = 0x11;
    public static final int CG_SET_CPUSET = 0x12;
    public static final int CG_MOVE_ALL = 0x13;
    public static final int CG_WRITE = 0x14;
    public static final int W_SPAWN = 0x20;
    public static final int W_START = 0x21;
    public static final int W_STOP = 0x22;
    public static final int W_AFFINITY = 0x23;
    public static final int W_ITERS = 0x24;
    public static final int W_MOVE = 0x25;
    public static final int SCHED_START = 0x30;
    public static final int SCHED_STATUS = 0x31;
    public static final int SCHED_STOP = 0x32;
    public static final int READ_FILE = 0x40;
    public static final int WRITE_FILE = 0x41;
    public static final int SYSINFO = 0x50;
    public static final int POWEROFF = 0x7F;
    public static final int REPLY = 0x80;
    public static final int HELLO = 0x81;
    public static final int EV_PROC_EXIT = 0x90;
    public static final int EV_SCHED_EXIT = 0x91;
    public static final int EV_LOG = 0x92;
    public static final int EV_CRASH = 0x93;
    public static final int EV_KMSG = 0x94;

    /** A decoded message. {@code id} is 0 for events. */
    public record Frame(int type, int id, int flags, byte[] payload) {
        public boolean isError() {
            return (flags & FLAG_ERROR) != 0;
        }
    }

    /** Header + payload as one array, ready for the transport. */
    public static byte[] encode(int type, int id, int flags, byte[] payload) {
        if (payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds the wire limit");
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putShort((short) VERSION).putShort((short) type).putInt(id).putInt(payload.length)
                .putInt((int) crc32(payload)).putInt(flags).put(payload);
        return b.array();
    }

    public static long crc32(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }

    /** The parsed header fields, before the payload arrived. */
    public record Header(int type, int id, int length, int crc, int flags) {}

    /**
     * Parses a 24-byte header.
     *
     * @throws WireFormatException on bad magic, version or length
     */
    public static Header parseHeader(byte[] h) {
        ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt();
        int version = b.getShort() & 0xffff;
        int type = b.getShort() & 0xffff;
        int id = b.getInt();
        int len = b.getInt();
        int crc = b.getInt();
        int flags = b.getInt();
        if (magic != MAGIC) {
            throw new WireFormatException(String.format("bad frame magic 0x%08x", magic));
        }
        if (version != VERSION) {
            throw new WireFormatException("agent speaks wire version " + version + ", host " + VERSION);
        }
        if (len < 0 || len > MAX_PAYLOAD) {
            throw new WireFormatException("frame length " + Integer.toUnsignedString(len) + " out of range");
        }
        return new Header(type, id, len, crc, flags);
    }

    /** A readable name for a message type, for errors and logs. */
    public static String typeName(int type) {
        return switch (type) {
            case PING -> "PING";
            case EXEC -> "EXEC";
            case SPAWN -> "SPAWN";
            case SIGNAL -> "SIGNAL";
            case WAIT -> "WAIT";
            case SHELL -> "SHELL";
            case CG_CREATE -> "CG_CREATE";
            case CG_REMOVE -> "CG_REMOVE";
            case CG_SET_CPUSET -> "CG_SET_CPUSET";
            case CG_MOVE_ALL -> "CG_MOVE_ALL";
            case CG_WRITE -> "CG_WRITE";
            case W_SPAWN -> "W_SPAWN";
            case W_START -> "W_START";
            case W_STOP -> "W_STOP";
            case W_AFFINITY -> "W_AFFINITY";
            case W_ITERS -> "W_ITERS";
            case W_MOVE -> "W_MOVE";
            case SCHED_START -> "SCHED_START";
            case SCHED_STATUS -> "SCHED_STATUS";
            case SCHED_STOP -> "SCHED_STOP";
            case READ_FILE -> "READ_FILE";
            case WRITE_FILE -> "WRITE_FILE";
            case SYSINFO -> "SYSINFO";
            case POWEROFF -> "POWEROFF";
            case REPLY -> "REPLY";
            case HELLO -> "HELLO";
            case EV_PROC_EXIT -> "EV_PROC_EXIT";
            case EV_SCHED_EXIT -> "EV_SCHED_EXIT";
            case EV_LOG -> "EV_LOG";
            case EV_CRASH -> "EV_CRASH";
            case EV_KMSG -> "EV_KMSG";
            default -> String.format("0x%02x", type);
        };
    }
}

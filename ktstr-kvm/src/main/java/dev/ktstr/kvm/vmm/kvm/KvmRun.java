package dev.ktstr.kvm.vmm.kvm;

import com.sun.jna.Pointer;

/**
 * The vCPU's shared {@code struct kvm_run} page (mmapped from the vCPU fd), read and written at the
 * fixed x86-64 offsets of {@code <linux/kvm.h>}: the common header, then the exit-specific union at
 * offset 32.
 */
public final class KvmRun {

    public static final int EXIT_UNKNOWN = 0;
    public static final int EXIT_EXCEPTION = 1;
    public static final int EXIT_IO = 2;
    public static final int EXIT_HYPERCALL = 3;
    public static final int EXIT_DEBUG = 4;
    public static final int EXIT_HLT = 5;
    public static final int EXIT_MMIO = 6;
    public static final int EXIT_IRQ_WINDOW_OPEN = 7;
    public static final int EXIT_SHUTDOWN = 8;
    public static final int EXIT_FAIL_ENTRY = 9;
    public static final int EXIT_INTR = 10;
    public static final int EXIT_NMI = 16;
    public static final int EXIT_INTERNAL_ERROR = 17;
    public static final int EXIT_SYSTEM_EVENT = 24;

    public static final int IO_IN = 0;
    public static final int IO_OUT = 1;

    public static final int SYSTEM_EVENT_SHUTDOWN = 1;
    public static final int SYSTEM_EVENT_RESET = 2;
    public static final int SYSTEM_EVENT_CRASH = 3;

    public static final int INTERNAL_ERROR_EMULATION = 1;
    public static final int INTERNAL_ERROR_SIMUL_EX = 2;
    public static final int INTERNAL_ERROR_DELIVERY_EV = 3;
    public static final int INTERNAL_ERROR_UNEXPECTED_EXIT_REASON = 4;
    public static final long EMULATION_FLAG_INSTRUCTION_BYTES = 1;

    private static final int OFF_IMMEDIATE_EXIT = 1;
    private static final int OFF_EXIT_REASON = 8;
    private static final int OFF_UNION = 32;

    private final Pointer p;

    KvmRun(Pointer p) {
        this.p = p;
    }

    public int exitReason() {
        return p.getInt(OFF_EXIT_REASON);
    }

    public void setImmediateExit(boolean on) {
        p.setByte(OFF_IMMEDIATE_EXIT, (byte) (on ? 1 : 0));
    }

    // --- KVM_EXIT_IO: __u8 direction; __u8 size; __u16 port; __u32 count; __u64 data_offset;

    public int ioDirection() {
        return p.getByte(OFF_UNION) & 0xff;
    }

    public int ioSize() {
        return p.getByte(OFF_UNION + 1) & 0xff;
    }

    public int ioPort() {
        return Short.toUnsignedInt(p.getShort(OFF_UNION + 2));
    }

    public int ioCount() {
        return p.getInt(OFF_UNION + 4);
    }

    /** The {@code i}-th data item of a port I/O exit, little-endian, {@link #ioSize()} bytes. */
    public int ioData(int i) {
        long off = p.getLong(OFF_UNION + 8) + (long) i * ioSize();
        return switch (ioSize()) {
            case 1 -> p.getByte(off) & 0xff;
            case 2 -> Short.toUnsignedInt(p.getShort(off));
            default -> p.getInt(off);
        };
    }

    public void setIoData(int i, int value) {
        long off = p.getLong(OFF_UNION + 8) + (long) i * ioSize();
        switch (ioSize()) {
            case 1 -> p.setByte(off, (byte) value);
            case 2 -> p.setShort(off, (short) value);
            default -> p.setInt(off, value);
        }
    }

    // --- KVM_EXIT_MMIO: __u64 phys_addr; __u8 data[8]; __u32 len; __u8 is_write;

    public long mmioAddress() {
        return p.getLong(OFF_UNION);
    }

    public int mmioLength() {
        return p.getInt(OFF_UNION + 16);
    }

    public boolean mmioIsWrite() {
        return p.getByte(OFF_UNION + 20) != 0;
    }

    public long mmioData() {
        return p.getLong(OFF_UNION + 8);
    }

    public void setMmioData(long value) {
        p.setLong(OFF_UNION + 8, value);
    }

    // --- KVM_EXIT_FAIL_ENTRY: __u64 hardware_entry_failure_reason; __u32 cpu;

    public long failEntryReason() {
        return p.getLong(OFF_UNION);
    }

    // --- KVM_EXIT_INTERNAL_ERROR: __u32 suberror; __u32 ndata; __u64 data[16];
    // emulation failure variant: __u32 suberror; __u32 ndata; __u64 flags; __u8 insn_size; __u8 insn_bytes[15];

    public int internalSuberror() {
        return p.getInt(OFF_UNION);
    }

    public long[] internalData() {
        int n = Math.min(16, Math.max(0, p.getInt(OFF_UNION + 4)));
        long[] d = new long[n];
        p.read(OFF_UNION + 8, d, 0, n);
        return d;
    }

    /** The instruction bytes KVM attached to an emulation failure, or an empty array. */
    public byte[] emulationFailureBytes() {
        if (internalSuberror() != INTERNAL_ERROR_EMULATION || p.getInt(OFF_UNION + 4) < 1
                || (p.getLong(OFF_UNION + 8) & EMULATION_FLAG_INSTRUCTION_BYTES) == 0) {
            return new byte[0];
        }
        int n = Math.min(15, p.getByte(OFF_UNION + 16) & 0xff);
        byte[] b = new byte[n];
        p.read(OFF_UNION + 17, b, 0, n);
        return b;
    }

    // --- KVM_EXIT_SYSTEM_EVENT: __u32 type; __u32 ndata; ...

    public int systemEventType() {
        return p.getInt(OFF_UNION);
    }

    /** A short name for an exit reason, for messages. */
    public static String exitName(int reason) {
        return switch (reason) {
            case EXIT_UNKNOWN -> "KVM_EXIT_UNKNOWN";
            case EXIT_EXCEPTION -> "KVM_EXIT_EXCEPTION";
            case EXIT_IO -> "KVM_EXIT_IO";
            case EXIT_HYPERCALL -> "KVM_EXIT_HYPERCALL";
            case EXIT_DEBUG -> "KVM_EXIT_DEBUG";
            case EXIT_HLT -> "KVM_EXIT_HLT";
            case EXIT_MMIO -> "KVM_EXIT_MMIO";
            case EXIT_IRQ_WINDOW_OPEN -> "KVM_EXIT_IRQ_WINDOW_OPEN";
            case EXIT_SHUTDOWN -> "KVM_EXIT_SHUTDOWN";
            case EXIT_FAIL_ENTRY -> "KVM_EXIT_FAIL_ENTRY";
            case EXIT_INTR -> "KVM_EXIT_INTR";
            case EXIT_NMI -> "KVM_EXIT_NMI";
            case EXIT_INTERNAL_ERROR -> "KVM_EXIT_INTERNAL_ERROR";
            case EXIT_SYSTEM_EVENT -> "KVM_EXIT_SYSTEM_EVENT";
            default -> "KVM exit " + reason;
        };
    }

    /** A short name for an internal-error suberror. */
    public static String suberrorName(int suberror) {
        return switch (suberror) {
            case INTERNAL_ERROR_EMULATION -> "emulation failure";
            case INTERNAL_ERROR_SIMUL_EX -> "simultaneous exceptions";
            case INTERNAL_ERROR_DELIVERY_EV -> "event delivery failed";
            case INTERNAL_ERROR_UNEXPECTED_EXIT_REASON -> "unexpected exit reason";
            default -> "suberror " + suberror;
        };
    }
}

package dev.ktstr.kvm.vmm.devices;

/**
 * A 16550A UART as PC serial ports have it (National Semiconductor PC16550D datasheet, "Register
 * Description"; behaviour matched to QEMU's hw/char/serial.c, which Linux's 8250 driver is known to
 * drive correctly). Eight registers at offsets 0–7; transmit is instantaneous (THR always empty);
 * receive bytes come from a {@link ByteQueue} the host fills.
 *
 * <p>Interrupts follow the datasheet's priorities (line status, received data, THR empty, modem
 * status) and drive an {@link IrqLine} as a level: high while an enabled condition is pending, so the
 * edge-triggered ISA pin sees a new edge for every new burst of work. Loopback mode (MCR bit 4)
 * echoes transmitted bytes into the receiver and maps MCR outputs onto MSR inputs, which Linux's port
 * autodetection tests.
 */
public final class Serial16550 implements PortDevice {

    /** Where transmitted bytes go (the console, or the agent channel). */
    @FunctionalInterface
    public interface Sink {
        void put(byte b);
    }

    static final int RBR_THR = 0;
    static final int IER = 1;
    static final int IIR_FCR = 2;
    static final int LCR = 3;
    static final int MCR = 4;
    static final int LSR = 5;
    static final int MSR = 6;
    static final int SCR = 7;

    static final int IER_RDI = 0x01;
    static final int IER_THRI = 0x02;
    static final int IER_RLSI = 0x04;
    static final int IER_MSI = 0x08;
    static final int IIR_NO_INT = 0x01;
    static final int IIR_MSI = 0x00;
    static final int IIR_THRI = 0x02;
    static final int IIR_RDI = 0x04;
    static final int IIR_RLSI = 0x06;
    static final int IIR_FIFO_ENABLED = 0xC0;
    static final int FCR_FIFO_ENABLE = 0x01;
    static final int LCR_DLAB = 0x80;
    static final int MCR_DTR = 0x01;
    static final int MCR_RTS = 0x02;
    static final int MCR_OUT1 = 0x04;
    static final int MCR_OUT2 = 0x08;
    static final int MCR_LOOP = 0x10;
    static final int LSR_DR = 0x01;
    static final int LSR_OE = 0x02;
    static final int LSR_BI = 0x10;
    static final int LSR_THRE = 0x20;
    static final int LSR_TEMT = 0x40;
    static final int LSR_ERRORS = 0x1E;
    static final int MSR_CTS = 0x10;
    static final int MSR_DSR = 0x20;
    static final int MSR_RI = 0x40;
    static final int MSR_DCD = 0x80;
    static final int MSR_DELTAS = 0x0F;

    private final IrqLine irq;
    private final Sink sink;
    private final ByteQueue rx;

    private int ier;
    private int iir = IIR_NO_INT;
    private int lcr;
    private int mcr = MCR_OUT2;
    private int lsr = LSR_THRE | LSR_TEMT;
    private int msr = MSR_DCD | MSR_DSR | MSR_CTS;
    private int scr;
    private int fcr;
    private int dll = 0x0C;
    private int dlm;
    private boolean thrPending;
    private int loopbackByte = -1;
    private boolean line;

    public Serial16550(IrqLine irq, Sink sink, ByteQueue rx) {
        this.irq = irq;
        this.sink = sink;
        this.rx = rx;
        rx.onData(this::receiveReady);
    }

    /** The host queued receive bytes: raise the receive interrupt if the guest enabled it. */
    public synchronized void receiveReady() {
        updateIrq();
    }

    @Override
    public int read(int offset, int size) {
        int v = readByte(offset);
        for (int i = 1; i < size; i++) {
            v |= readByte(offset + i) << (8 * i);
        }
        return v;
    }

    @Override
    public void write(int offset, int size, int value) {
        for (int i = 0; i < size; i++) {
            writeByte(offset + i, (value >>> (8 * i)) & 0xFF);
        }
    }

    private synchronized int readByte(int reg) {
        return switch (reg & 7) {
            case RBR_THR -> {
                if ((lcr & LCR_DLAB) != 0) {
                    yield dll;
                }
                int b = nextReceived();
                updateIrq();
                yield b < 0 ? 0 : b;
            }
            case IER -> (lcr & LCR_DLAB) != 0 ? dlm : ier;
            case IIR_FCR -> {
                int r = iir | ((fcr & FCR_FIFO_ENABLE) != 0 ? IIR_FIFO_ENABLED : 0);
                if ((iir & 0x0F) == IIR_THRI) {
                    thrPending = false;
                    updateIrq();
                }
                yield r;
            }
            case LCR -> lcr;
            case MCR -> mcr;
            case LSR -> {
                int r = lsr | (dataAvailable() ? LSR_DR : 0);
                lsr &= ~(LSR_ERRORS);
                yield r;
            }
            case MSR -> {
                int r = modemStatus();
                msr &= ~MSR_DELTAS;
                yield r;
            }
            default -> scr;
        };
    }

    private void writeByte(int reg, int v) {
        int out = -1;
        synchronized (this) {
            switch (reg & 7) {
                case RBR_THR -> {
                    if ((lcr & LCR_DLAB) != 0) {
                        dll = v;
                    } else {
                        if ((mcr & MCR_LOOP) != 0) {
                            loopbackByte = v;
                        } else {
                            out = v;
                        }
                        thrPending = true;
                        updateIrq();
                    }
                }
                case IER -> {
                    if ((lcr & LCR_DLAB) != 0) {
                        dlm = v;
                    } else {
                        int changed = (ier ^ v) & 0x0F;
                        ier = v & 0x0F;
                        if ((changed & IER_THRI) != 0) {
                            thrPending = (ier & IER_THRI) != 0;
                        }
                        updateIrq();
                    }
                }
                case IIR_FCR -> {
                    fcr = v & 0xC9;
                    updateIrq();
                }
                case LCR -> lcr = v;
                case MCR -> mcr = v & 0x1F;
                case LSR, MSR -> {
                    // read-only registers; writes are ignored by the chip
                }
                default -> scr = v;
            }
        }
        if (out >= 0) {
            sink.put((byte) out);
        }
    }

    private boolean dataAvailable() {
        return loopbackByte >= 0 || ((mcr & MCR_LOOP) == 0 && !rx.isEmpty());
    }

    private int nextReceived() {
        if (loopbackByte >= 0) {
            int b = loopbackByte;
            loopbackByte = -1;
            return b;
        }
        return (mcr & MCR_LOOP) != 0 ? -1 : rx.poll();
    }

    private int modemStatus() {
        if ((mcr & MCR_LOOP) == 0) {
            return msr;
        }
        int r = msr & MSR_DELTAS;
        if ((mcr & MCR_DTR) != 0) {
            r |= MSR_DSR;
        }
        if ((mcr & MCR_RTS) != 0) {
            r |= MSR_CTS;
        }
        if ((mcr & MCR_OUT1) != 0) {
            r |= MSR_RI;
        }
        if ((mcr & MCR_OUT2) != 0) {
            r |= MSR_DCD;
        }
        return r;
    }

    /** Recomputes IIR by priority and drives the line; caller holds the monitor. */
    private void updateIrq() {
        int pending = IIR_NO_INT;
        if ((ier & IER_RLSI) != 0 && (lsr & (LSR_OE | LSR_BI)) != 0) {
            pending = IIR_RLSI;
        } else if ((ier & IER_RDI) != 0 && dataAvailable()) {
            pending = IIR_RDI;
        } else if ((ier & IER_THRI) != 0 && thrPending) {
            pending = IIR_THRI;
        } else if ((ier & IER_MSI) != 0 && (msr & MSR_DELTAS) != 0) {
            pending = IIR_MSI;
        }
        iir = pending;
        boolean level = pending != IIR_NO_INT;
        if (level != line) {
            line = level;
            irq.set(level);
        }
    }
}

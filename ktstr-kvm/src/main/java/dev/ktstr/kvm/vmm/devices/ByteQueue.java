package dev.ktstr.kvm.vmm.devices;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded FIFO of bytes between a serial port and the host: writers block while it is full,
 * readers while it is empty, and {@link #close()} wakes both (readers drain what is left, then see
 * end of stream; writers fail). A listener is told, outside the lock, when bytes arrive, which is how
 * a UART learns to raise its receive interrupt.
 */
public final class ByteQueue {

    private final byte[] ring;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final String name;
    private int head;
    private int count;
    private boolean closed;
    private volatile Runnable onData = () -> { };

    public ByteQueue(String name, int capacity) {
        this.name = name;
        this.ring = new byte[capacity];
    }

    public void onData(Runnable listener) {
        this.onData = listener;
    }

    /** Appends bytes, blocking while full; fails once closed. */
    public void write(byte[] b, int off, int len) throws IOException {
        int done = 0;
        while (done < len) {
            lock.lock();
            try {
                while (count == ring.length && !closed) {
                    notFull.await();
                }
                if (closed) {
                    throw new IOException(name + " is closed (the VM ended)");
                }
                int n = Math.min(len - done, ring.length - count);
                for (int i = 0; i < n; i++) {
                    ring[(head + count + i) % ring.length] = b[off + done + i];
                }
                count += n;
                done += n;
                notEmpty.signalAll();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted writing to " + name);
            } finally {
                lock.unlock();
            }
            onData.run();
        }
    }

    /** The next byte without blocking, or -1 when empty. */
    public int poll() {
        lock.lock();
        try {
            if (count == 0) {
                return -1;
            }
            int b = ring[head] & 0xFF;
            head = (head + 1) % ring.length;
            count--;
            notFull.signalAll();
            return b;
        } finally {
            lock.unlock();
        }
    }

    public boolean isEmpty() {
        lock.lock();
        try {
            return count == 0;
        } finally {
            lock.unlock();
        }
    }

    /** Reads at least one byte, blocking; -1 at end of stream (closed and drained). */
    public int read(byte[] b, int off, int len, long timeoutNanos) throws IOException {
        if (len == 0) {
            return 0;
        }
        lock.lock();
        try {
            long left = timeoutNanos;
            while (count == 0 && !closed) {
                if (timeoutNanos < 0) {
                    notEmpty.await();
                } else {
                    if (left <= 0) {
                        return 0;
                    }
                    left = notEmpty.awaitNanos(left);
                }
            }
            if (count == 0) {
                return -1;
            }
            int n = Math.min(len, count);
            for (int i = 0; i < n; i++) {
                b[off + i] = ring[(head + i) % ring.length];
            }
            head = (head + n) % ring.length;
            count -= n;
            notFull.signalAll();
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted reading " + name);
        } finally {
            lock.unlock();
        }
    }

    /** Ends the stream: blocked writers fail, readers get the remaining bytes and then -1. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A blocking InputStream over this queue. */
    public InputStream inputStream() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return ByteQueue.this.read(b, off, len, -1);
            }

            @Override
            public int available() {
                lock.lock();
                try {
                    return count;
                } finally {
                    lock.unlock();
                }
            }
        };
    }

    /** An OutputStream writing into this queue. */
    public OutputStream outputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                ByteQueue.this.write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteQueue.this.write(b, off, len);
            }
        };
    }
}

package dev.ktstr.kvm.vmm.devices;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The I/O port address space: devices registered on port ranges, dispatch of KVM_EXIT_IO accesses
 * to them. Ports nobody claims read as all ones (what an empty ISA bus returns, and what makes Linux
 * conclude a device is absent) and ignore writes; those accesses are counted for diagnostics.
 */
public final class IoBus {

    private record Mapping(int base, int length, PortDevice device) {
        boolean contains(int port) {
            return port >= base && port < base + length;
        }
    }

    private volatile List<Mapping> mappings = List.of();
    private final AtomicLong unclaimedAccesses = new AtomicLong();

    /** Claims {@code [base, base+length)} for {@code device}; ranges may not overlap. */
    public synchronized void register(int base, int length, PortDevice device) {
        if (base < 0 || length <= 0 || base + length > 0x10000) {
            throw new IllegalArgumentException("port range " + base + "+" + length + " is outside 0..0xFFFF");
        }
        for (Mapping m : mappings) {
            if (base < m.base() + m.length() && m.base() < base + length) {
                throw new IllegalArgumentException(String.format("ports 0x%x+%d overlap 0x%x+%d", base, length,
                        m.base(), m.length()));
            }
        }
        List<Mapping> next = new ArrayList<>(mappings);
        next.add(new Mapping(base, length, device));
        mappings = List.copyOf(next);
    }

    public int read(int port, int size) {
        for (Mapping m : mappings) {
            if (m.contains(port)) {
                return m.device().read(port - m.base(), size);
            }
        }
        unclaimedAccesses.incrementAndGet();
        return size >= 4 ? -1 : (1 << (8 * size)) - 1;
    }

    public void write(int port, int size, int value) {
        for (Mapping m : mappings) {
            if (m.contains(port)) {
                m.device().write(port - m.base(), size, value);
                return;
            }
        }
        unclaimedAccesses.incrementAndGet();
    }

    /** Accesses to ports no device claims (Linux probing for absent hardware). */
    public long unclaimedAccesses() {
        return unclaimedAccesses.get();
    }
}

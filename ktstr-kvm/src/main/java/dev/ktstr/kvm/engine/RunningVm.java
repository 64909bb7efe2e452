package dev.ktstr.kvm.engine;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A VM that was started. Closing it stops the VM (hard if needed) and releases everything the engine
 * created on the host: processes, threads, sockets, shared memory, temporary files.
 */
public interface RunningVm extends AutoCloseable {

    VmSpec spec();

    /** Which engine runs it and how, for logs, e.g. "qemu-tcg (qemu-system-x86_64 7.2, pc, PVH)". */
    String description();

    /** The kernel console (COM1). */
    ConsoleLog console();

    /** Bytes the guest writes to COM2 (the agent's doorbell line). Blocks; EOF when the VM ends. */
    InputStream agentSerialIn();

    /** Bytes to the guest's COM2 receive side. */
    OutputStream agentSerialOut();

    /** The shared agent region, or empty when {@link VmSpec#agentRegionBytes()} was 0. */
    Optional<GuestRegion> agentRegion();

    /** All of guest RAM, addressed by guest physical address. */
    GuestMemory memory();

    /** Completes when the VM has ended, with how it ended. Never completes exceptionally. */
    CompletableFuture<VmExit> exit();

    /**
     * Host CPU time consumed by the vCPU threads so far, in nanoseconds: one entry per vCPU when each
     * has its own thread; a single entry when one emulation thread runs every vCPU (QEMU TCG with
     * {@code thread=single}); empty when the engine cannot tell.
     */
    long[] vcpuCpuTimeNs();

    /**
     * Asks the guest to power off (ACPI power button or equivalent); after {@code grace} the VM is
     * stopped hard. Returns immediately.
     */
    void requestStop(Duration grace);

    /** Stops the VM now. */
    void kill();

    /** Stops the VM if it still runs and releases all host resources. Idempotent. */
    @Override
    void close();
}

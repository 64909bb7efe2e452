package dev.ktstr.kvm.vmm;

import dev.ktstr.kvm.engine.ConsoleLog;
import dev.ktstr.kvm.engine.GuestMemory;
import dev.ktstr.kvm.engine.GuestRegion;
import dev.ktstr.kvm.engine.RunningVm;
import dev.ktstr.kvm.engine.VmExit;
import dev.ktstr.kvm.engine.VmSpec;
import dev.ktstr.kvm.engine.VmStartException;
import dev.ktstr.kvm.vmm.acpi.AcpiHardware;
import dev.ktstr.kvm.vmm.acpi.Madt;
import dev.ktstr.kvm.vmm.boot.BootKernel;
import dev.ktstr.kvm.vmm.boot.BootPlan;
import dev.ktstr.kvm.vmm.boot.CommandLine;
import dev.ktstr.kvm.vmm.boot.CopyingInitramfsLoader;
import dev.ktstr.kvm.vmm.boot.InitramfsLoader;
import dev.ktstr.kvm.vmm.devices.AcpiPm;
import dev.ktstr.kvm.vmm.devices.ByteQueue;
import dev.ktstr.kvm.vmm.devices.CmosRtc;
import dev.ktstr.kvm.vmm.devices.I8042;
import dev.ktstr.kvm.vmm.devices.IoBus;
import dev.ktstr.kvm.vmm.devices.IrqLine;
import dev.ktstr.kvm.vmm.devices.PowerEvents;
import dev.ktstr.kvm.vmm.devices.Serial16550;
import dev.ktstr.kvm.vmm.kvm.CpuidEntry;
import dev.ktstr.kvm.vmm.kvm.Kvm;
import dev.ktstr.kvm.vmm.kvm.KvmCap;
import dev.ktstr.kvm.vmm.kvm.KvmException;
import dev.ktstr.kvm.vmm.kvm.KvmRun;
import dev.ktstr.kvm.vmm.kvm.MsrEntry;
import dev.ktstr.kvm.vmm.kvm.VcpuFd;
import dev.ktstr.kvm.vmm.kvm.VmFd;
import dev.ktstr.kvm.vmm.memory.GuestBlob;
import dev.ktstr.kvm.vmm.memory.GuestRam;
import dev.ktstr.kvm.vmm.memory.MemoryLayout;
import dev.ktstr.kvm.vmm.sys.NativeCallException;
import dev.ktstr.kvm.vmm.vcpu.VcpuHost;
import dev.ktstr.kvm.vmm.vcpu.VcpuStop;
import dev.ktstr.kvm.vmm.vcpu.VcpuThread;
import dev.ktstr.kvm.vmm.x86.BootCpu;
import dev.ktstr.kvm.vmm.x86.BootMsrs;
import dev.ktstr.kvm.vmm.x86.CpuidTopology;
import dev.ktstr.kvm.vmm.x86.InvalidKernelException;
import dev.ktstr.kvm.vmm.x86.LowMemory;
import dev.ktstr.topology.Topology;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One virtual machine of the own VMM: KVM VM and vCPUs, guest RAM, the boot image, devices, one
 * thread per vCPU, a watchdog, and the classification of how the VM ended.
 *
 * <p>This is the lower-level entry point: {@link #start(VmSpec)} boots any spec on any
 * {@code /dev/kvm}, including PVM, where only small guests run; {@link KvmEngine} adds the check that
 * stock kernels can run here. The first terminal event wins (power off, reset, triple fault, KVM
 * failure, watchdog, host kill); a kernel panic seen on the console, or a watchdog that fired, takes
 * precedence when the VM is classified. {@link #close()} stops the VM if needed and releases every
 * fd, mapping and thread.
 */
public final class KvmMachine implements RunningVm {

    private static final System.Logger LOG = System.getLogger(KvmMachine.class.getName());
    private static final AtomicInteger IDS = new AtomicInteger();

    public static final int COM1_PORT = 0x3F8;
    public static final int COM1_IRQ = 4;
    public static final int COM2_PORT = 0x2F8;
    public static final int COM2_IRQ = 3;
    public static final int I8042_PORT = 0x60;
    public static final int CMOS_PORT = 0x70;
    public static final String PANIC_MARKER = "Kernel panic - not syncing";
    public static final String PANIC_END_MARKER = "---[ end Kernel panic";
    /** How long after a panic line the VM is stopped if the guest does not reset by itself. */
    public static final Duration PANIC_SETTLE = Duration.ofSeconds(1);
    /** How long the guest gets to power off after the watchdog pressed the power button. */
    public static final Duration WATCHDOG_GRACE = Duration.ofSeconds(3);
    public static final int CONSOLE_LINES = 2000;
    public static final int CONSOLE_TAIL = 40;
    /** Halt polling for VMs that fit on the host's CPUs (KVM_CAP_HALT_POLL, nanoseconds). */
    public static final long HALT_POLL_NS = 200_000;

    private final int id = IDS.incrementAndGet();
    private final VmSpec spec;
    private final ConsoleLog console = new ConsoleLog(CONSOLE_LINES);
    private final ByteQueue agentToHost = new ByteQueue("COM2 (guest to host)", 1 << 20);
    private final ByteQueue hostToAgent = new ByteQueue("COM2 (host to guest)", 1 << 16);
    private final IoBus ioBus = new IoBus();
    private final List<String> notes = new CopyOnWriteArrayList<>();
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final ReentrantReadWriteLock resourceLock = new ReentrantReadWriteLock();
    private final ScheduledThreadPoolExecutor scheduler;
    private final CompletableFuture<VmExit> exit = new CompletableFuture<>();
    private final AtomicReference<Ending> ending = new AtomicReference<>();
    private final AtomicReference<String> panicLine = new AtomicReference<>();
    private final AtomicLong firstExitNanos = new AtomicLong();
    private final List<VcpuThread> vcpuThreads = new ArrayList<>();
    /** Opens once every vCPU thread that will ever start has started (or start-up gave up). */
    private final CountDownLatch threadsLaunched = new CountDownLatch(1);
    private final long createdNanos = System.nanoTime();

    private volatile boolean stopping;
    private volatile boolean released;
    private volatile long watchdogFiredAfterMs = -1;
    private volatile long startedNanos;
    private volatile long endedNanos;
    private Kvm kvm;
    private VmFd vm;
    private GuestRam ram;
    private AcpiPm pm;
    private BootKernel kernel;
    private BootPlan plan;

    /** What ended the VM first. */
    private sealed interface Ending {
        record PowerOff(String how) implements Ending {}

        record Reset(String how) implements Ending {}

        record Stopped(VcpuStop stop) implements Ending {}

        record Watchdog() implements Ending {}

        record Panic() implements Ending {}

        record Killed(String why) implements Ending {}
    }

    /** Timestamps ({@link System#nanoTime()}) of a VM's life, for benchmarks. */
    public record Timeline(long createdNanos, long startedNanos, long firstExitNanos, long endedNanos) {}

    private KvmMachine(VmSpec spec) {
        this.spec = spec;
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "ktstr-vm" + id + "-monitor");
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        console.addListener(this::watchConsole);
    }

    /**
     * Boots {@code spec} on {@code /dev/kvm}. Returns once the vCPU threads run.
     *
     * @throws VmStartException naming what failed: no KVM, bad kernel, too little RAM, a KVM call
     */
    public static KvmMachine start(VmSpec spec) throws VmStartException {
        return start(spec, new CopyingInitramfsLoader());
    }

    public static KvmMachine start(VmSpec spec, InitramfsLoader initramfsLoader) throws VmStartException {
        KvmMachine m = new KvmMachine(spec);
        try {
            m.boot(initramfsLoader);
            return m;
        } catch (VmStartException e) {
            m.abort();
            throw e;
        } catch (KvmException e) {
            m.abort();
            throw new VmStartException(e.getMessage(), e);
        } catch (NativeCallException e) {
            m.abort();
            throw new VmStartException("KVM setup failed: " + e.getMessage(), e);
        } catch (InvalidKernelException e) {
            m.abort();
            throw new VmStartException("cannot boot " + spec.kernel().path() + ": " + e.getMessage(), e);
        } catch (BootPlan.DoesNotFitException | IllegalArgumentException e) {
            m.abort();
            throw new VmStartException(e.getMessage(), e);
        } catch (IOException e) {
            m.abort();
            throw new VmStartException("cannot read boot files: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            m.abort();
            throw e;
        }
    }

    private void boot(InitramfsLoader initramfsLoader)
            throws VmStartException, IOException, InvalidKernelException, BootPlan.DoesNotFitException {
        Topology topo = spec.topology();
        kernel = BootKernel.open(spec.kernel());
        long[] nodeBytes = new long[topo.numaNodes()];
        for (int n = 0; n < nodeBytes.length; n++) {
            nodeBytes[n] = spec.nodeMemoryMb(n) << 20;
        }
        MemoryLayout layout = MemoryLayout.of(nodeBytes, spec.agentRegionBytes());
        String cmdline = CommandLine.compose(spec.cmdline(), layout.agentGpa(), layout.agentBytes());
        plan = BootPlan.plan(layout, topo, spec.distances(), cmdline, kernel,
                InitramfsLoader.totalSize(spec.initramfs()));
        int maxApicId = 0;
        for (int cpu = 0; cpu < topo.totalCpus(); cpu++) {
            maxApicId = Math.max(maxApicId, topo.apicIdOf(cpu));
        }
        if (maxApicId > Madt.MAX_XAPIC_ID) {
            throw new VmStartException("topology " + topo + " needs APIC ids up to " + maxApicId
                    + "; the in-kernel IOAPIC of this VMM addresses at most " + Madt.MAX_XAPIC_ID
                    + " (x2APIC ids need a split irqchip, which this VMM does not implement)");
        }

        kvm = own(Kvm.open());
        if (topo.totalCpus() > kvm.maxVcpus() || maxApicId >= kvm.maxVcpuId()) {
            throw new VmStartException("KVM here supports " + kvm.maxVcpus() + " vCPUs with ids below "
                    + kvm.maxVcpuId() + "; topology " + topo + " needs " + topo.totalCpus() + " up to id " + maxApicId);
        }
        List<CpuidEntry> supportedCpuid = kvm.supportedCpuid();
        vm = own(kvm.createVm());
        vm.setTssAddress(LowMemory.KVM_TSS);
        try {
            vm.setIdentityMapAddress(LowMemory.KVM_IDENTITY_MAP);
        } catch (NativeCallException e) {
            notes.add("KVM_SET_IDENTITY_MAP_ADDR refused (" + e.getMessage() + "); KVM keeps its default");
        }
        vm.createIrqchip();
        vm.createPit2(VmFd.PIT_SPEAKER_DUMMY);
        configureHaltPolling(topo.totalCpus());

        ram = own(GuestRam.allocate(layout, "ktstr-vm" + id + "-ram"));
        int slot = 0;
        for (MemoryLayout.RamRange r : layout.ranges()) {
            vm.setUserMemoryRegion(slot++, 0, r.gpa(), r.size(), ram.hostAddress(r.gpa()));
        }
        kernel.load(ram);
        if (plan.initrdSize() > 0) {
            initramfsLoader.load(ram, plan.initrdAddr(), spec.initramfs());
        }
        List<GuestBlob> blobs = new ArrayList<>(plan.commonBlobs());
        blobs.addAll(kernel.bootInfo(plan));
        for (GuestBlob b : blobs) {
            ram.write(b.gpa(), b.bytes());
        }

        wireDevices();

        List<VcpuFd> vcpus = new ArrayList<>();
        for (int cpu = 0; cpu < topo.totalCpus(); cpu++) {
            VcpuFd fd = own(vm.createVcpu(topo.apicIdOf(cpu)));
            vcpus.add(fd);
            configureVcpu(fd, cpu, supportedCpuid);
        }
        BootCpu.State boot = kernel.entryState(vcpus.get(0).getSregs());
        vcpus.get(0).setSregs(boot.sregs());
        vcpus.get(0).setRegs(boot.regs());
        vcpus.get(0).setFpu(BootCpu.FPU_FCW, BootCpu.FPU_MXCSR);

        VcpuHost host = new Host();
        int hostCpus = Runtime.getRuntime().availableProcessors();
        for (int cpu = 0; cpu < vcpus.size(); cpu++) {
            int pin = spec.performanceMode() && vcpus.size() < hostCpus ? (cpu + 1) % hostCpus : -1;
            vcpuThreads.add(new VcpuThread("ktstr-vm" + id + "-vcpu" + cpu, cpu, vcpus.get(cpu), host, pin));
        }
        startedNanos = System.nanoTime();
        try {
            for (VcpuThread t : vcpuThreads) {
                t.start();
            }
        } finally {
            // A fast guest may end before the last thread starts; the reaper waits for this so that it
            // never mistakes a thread that is about to start for one that has finished.
            threadsLaunched.countDown();
        }
        scheduler.schedule(this::watchdogFired, spec.watchdog().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void configureHaltPolling(int vcpus) {
        if (spec.performanceMode()) {
            return;
        }
        long ns = vcpus > Runtime.getRuntime().availableProcessors() ? 0 : HALT_POLL_NS;
        try {
            if (vm.checkExtension(KvmCap.HALT_POLL) > 0) {
                vm.enableCap(KvmCap.HALT_POLL, ns);
            }
        } catch (NativeCallException e) {
            notes.add("halt polling left at KVM's default: " + e.getMessage());
        }
    }

    private void configureVcpu(VcpuFd fd, int cpu, List<CpuidEntry> supported) {
        OptionalInt tscKhz = fd.tscKhz().map(OptionalInt::of).orElse(OptionalInt.empty());
        if (cpu == 0 && tscKhz.isEmpty()) {
            notes.add("KVM_GET_TSC_KHZ unavailable: no TSC frequency leaf 0x40000010");
        }
        fd.setCpuid(CpuidTopology.forCpu(supported, spec.topology(), cpu, tscKhz));
        for (MsrEntry refused : fd.setMsrsSkippingRefused(BootMsrs.entries())) {
            if (cpu == 0) {
                notes.add("KVM refused " + BootMsrs.name(refused.index()) + " = 0x" + Long.toHexString(refused.data()));
            }
        }
        // Local APIC LINT0 as ExtINT (the PIC's output) and LINT1 as NMI, as a PC BIOS leaves them.
        byte[] lapic = fd.getLapic();
        setLvt(lapic, 0x350, 0x700);
        setLvt(lapic, 0x360, 0x400);
        fd.setLapic(lapic);
    }

    private static void setLvt(byte[] lapic, int reg, int deliveryMode) {
        int v = (lapic[reg] & 0xFF) | (lapic[reg + 1] & 0xFF) << 8 | (lapic[reg + 2] & 0xFF) << 16
                | (lapic[reg + 3] & 0xFF) << 24;
        v = (v & ~0x700) | deliveryMode;
        v &= ~(1 << 16); // unmasked
        for (int i = 0; i < 4; i++) {
            lapic[reg + i] = (byte) (v >>> (8 * i));
        }
    }

    private void wireDevices() {
        PowerEvents power = new PowerEvents() {
            @Override
            public void powerOff(String how) {
                end(new Ending.PowerOff(how));
            }

            @Override
            public void reset(String how) {
                end(new Ending.Reset(how));
            }
        };
        ByteQueue noInput = new ByteQueue("COM1 input", 1);
        noInput.close();
        Serial16550 com1 = new Serial16550(irq(COM1_IRQ), b -> console.append(new byte[] {b}, 0, 1), noInput);
        Serial16550 com2 = new Serial16550(irq(COM2_IRQ), this::toHost, hostToAgent);
        ioBus.register(COM1_PORT, 8, com1);
        ioBus.register(COM2_PORT, 8, com2);
        ioBus.register(I8042_PORT, 5, new I8042(power));
        ioBus.register(CMOS_PORT, 2, new CmosRtc());
        pm = new AcpiPm(irq(AcpiHardware.SCI_IRQ), power);
        ioBus.register(AcpiHardware.PM1A_EVT_BLK, AcpiHardware.PM1_EVT_LEN, pm.eventBlock());
        ioBus.register(AcpiHardware.PM1A_CNT_BLK, AcpiHardware.PM1_CNT_LEN, pm.controlBlock());
        ioBus.register(AcpiHardware.RESET_PORT, 1, pm.resetRegister());
    }

    private void toHost(byte b) {
        try {
            agentToHost.write(new byte[] {b}, 0, 1);
        } catch (IOException e) {
            // The VM is ending and the host side is closed: the byte has nowhere to go.
        }
    }

    /** An interrupt line into the in-kernel PIC/IOAPIC; quiet once the VM's fds are released. */
    private IrqLine irq(int gsi) {
        return level -> {
            resourceLock.readLock().lock();
            try {
                if (!released) {
                    vm.irqLine(gsi, level);
                }
            } finally {
                resourceLock.readLock().unlock();
            }
        };
    }

    private <T extends AutoCloseable> T own(T resource) {
        resources.push(resource);
        return resource;
    }

    // ---------------------------------------------------------------- the end of a VM

    private final class Host implements VcpuHost {
        @Override
        public IoBus ioBus() {
            return ioBus;
        }

        @Override
        public GuestMemory memory() {
            return ram;
        }

        @Override
        public boolean stopping() {
            return stopping;
        }

        @Override
        public void vcpuStopped(VcpuStop stop) {
            if (stop instanceof VcpuStop.SystemEvent se && se.type() == KvmRun.SYSTEM_EVENT_SHUTDOWN) {
                end(new Ending.PowerOff("KVM system event shutdown"));
            } else if (stop instanceof VcpuStop.SystemEvent se && se.type() == KvmRun.SYSTEM_EVENT_RESET) {
                end(new Ending.Reset("KVM system event reset"));
            } else {
                end(new Ending.Stopped(stop));
            }
        }

        @Override
        public void exitSeen(int vcpu, int reason) {
            if (firstExitNanos.get() == 0) {
                firstExitNanos.compareAndSet(0, System.nanoTime());
            }
        }
    }

    private void watchConsole(String line) {
        if (line.contains(PANIC_MARKER) && panicLine.compareAndSet(null, line.substring(line.indexOf(PANIC_MARKER)))) {
            schedule(() -> end(new Ending.Panic()), PANIC_SETTLE);
        } else if (line.contains(PANIC_END_MARKER) && panicLine.get() != null) {
            end(new Ending.Panic());
        }
    }

    private void watchdogFired() {
        if (ending.get() != null) {
            return;
        }
        watchdogFiredAfterMs = spec.watchdog().toMillis();
        pm.pressPowerButton();
        Duration grace = WATCHDOG_GRACE.compareTo(spec.watchdog()) < 0 ? WATCHDOG_GRACE : spec.watchdog();
        schedule(() -> end(new Ending.Watchdog()), grace);
    }

    private void schedule(Runnable r, Duration after) {
        try {
            scheduler.schedule(r, after.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // The machine is already released; nothing left to stop.
        }
    }

    /** Records the first ending, stops every vCPU, and completes {@link #exit()} once they are gone. */
    private void end(Ending e) {
        if (!ending.compareAndSet(null, e)) {
            return;
        }
        endedNanos = System.nanoTime();
        stopping = true;
        for (VcpuThread t : vcpuThreads) {
            t.kick();
        }
        agentToHost.close();
        hostToAgent.close();
        Thread reaper = new Thread(this::reap, "ktstr-vm" + id + "-reaper");
        reaper.setDaemon(true);
        reaper.start();
    }

    private void reap() {
        try {
            threadsLaunched.await();
            for (VcpuThread t : vcpuThreads) {
                while (t.thread().isAlive()) {
                    t.kick();
                    t.thread().join(10);
                }
            }
            exit.complete(classify(ending.get()));
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            exit.complete(new VmExit.EngineFailed("interrupted while stopping vCPUs", console.tail(CONSOLE_TAIL)));
        } catch (RuntimeException re) {
            exit.complete(new VmExit.EngineFailed("stopping vCPUs failed: " + re, console.tail(CONSOLE_TAIL)));
        }
    }

    private VmExit classify(Ending e) {
        List<String> tail = console.tail(CONSOLE_TAIL);
        String panic = panicLine.get();
        if (panic != null) {
            return new VmExit.KernelPanic(panic, tail);
        }
        if (watchdogFiredAfterMs >= 0 && !(e instanceof Ending.Killed)) {
            return new VmExit.TimedOut(watchdogFiredAfterMs, tail);
        }
        if (e instanceof Ending.PowerOff) {
            return new VmExit.PoweredOff(tail);
        }
        if (e instanceof Ending.Reset r) {
            return new VmExit.Reset(r.how(), tail);
        }
        if (e instanceof Ending.Watchdog) {
            return new VmExit.TimedOut(spec.watchdog().toMillis(), tail);
        }
        if (e instanceof Ending.Killed k) {
            return new VmExit.Killed(k.why(), tail);
        }
        if (e instanceof Ending.Stopped s) {
            VcpuStop stop = s.stop();
            if (stop instanceof VcpuStop.TripleFault tf) {
                return new VmExit.TripleFault(tf.vcpu(), tail);
            }
            if (stop instanceof VcpuStop.Failed f) {
                return new VmExit.InternalError(f.vcpu(), f.detail(), f.instructionBytes(), tail);
            }
            return new VmExit.InternalError(stop.vcpu(), "KVM system event " + ((VcpuStop.SystemEvent) stop).type(),
                    new byte[0], tail);
        }
        return new VmExit.EngineFailed("VM ended without a recorded reason", tail);
    }

    // ---------------------------------------------------------------- RunningVm

    @Override
    public VmSpec spec() {
        return spec;
    }

    @Override
    public String description() {
        return String.format("kvm (own VMM, %s, %d vCPUs %s, %d MiB)", kernel.describe(),
                spec.topology().totalCpus(), spec.topology(), spec.memoryMb());
    }

    @Override
    public ConsoleLog console() {
        return console;
    }

    @Override
    public InputStream agentSerialIn() {
        return agentToHost.inputStream();
    }

    @Override
    public OutputStream agentSerialOut() {
        return hostToAgent.outputStream();
    }

    @Override
    public Optional<GuestRegion> agentRegion() {
        MemoryLayout layout = plan.layout();
        if (!layout.hasAgentRegion()) {
            return Optional.empty();
        }
        return Optional.of(new GuestRegion(layout.agentGpa(), ram.buffer(layout.agentGpa(), layout.agentBytes())));
    }

    @Override
    public GuestMemory memory() {
        return ram;
    }

    /** The guest RAM with its memfd (another process can map {@link GuestRam#sharePath()}). */
    public GuestRam guestRam() {
        return ram;
    }

    /** Where the boot put things: e820 map, command line, initrd, ACPI tables. */
    public BootPlan bootPlan() {
        return plan;
    }

    /** Non-fatal setup facts worth logging (refused MSRs, unknown TSC frequency). */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    /** Port accesses no device claimed (Linux probing for absent hardware). */
    public long unclaimedPortAccesses() {
        return ioBus.unclaimedAccesses();
    }

    public Timeline timeline() {
        return new Timeline(createdNanos, startedNanos, firstExitNanos.get(), endedNanos);
    }

    @Override
    public CompletableFuture<VmExit> exit() {
        return exit;
    }

    @Override
    public long[] vcpuCpuTimeNs() {
        long[] out = new long[vcpuThreads.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = vcpuThreads.get(i).cpuTimeNanos();
        }
        return out;
    }

    @Override
    public void requestStop(Duration grace) {
        if (ending.get() != null) {
            return;
        }
        pm.pressPowerButton();
        schedule(() -> end(new Ending.Killed("the guest did not power off within " + grace.toMillis()
                + " ms of a stop request")), grace);
    }

    @Override
    public void kill() {
        end(new Ending.Killed("killed by the host"));
    }

    @Override
    public void close() {
        if (ending.get() == null && !vcpuThreads.isEmpty()) {
            end(new Ending.Killed("closed by the host"));
        }
        if (!vcpuThreads.isEmpty()) {
            try {
                exit.get(30, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                LOG.log(System.Logger.Level.ERROR, "vm" + id + ": vCPU threads did not stop within 30 s; "
                        + "leaking their KVM resources rather than unmapping memory they may still use");
                scheduler.shutdownNow();
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("exit future failed", e);
            }
        }
        release();
    }

    /** Start failed: stop any vCPU thread that did start, then release what was created. */
    private void abort() {
        stopping = true;
        threadsLaunched.countDown();
        for (VcpuThread t : vcpuThreads) {
            while (t.thread().isAlive()) {
                t.kick();
                try {
                    t.thread().join(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    LOG.log(System.Logger.Level.ERROR, "vm" + id + ": interrupted while stopping vCPU threads after"
                            + " a failed start; leaking their KVM resources");
                    return;
                }
            }
        }
        release();
    }

    private void release() {
        resourceLock.writeLock().lock();
        try {
            if (released) {
                return;
            }
            released = true;
            agentToHost.close();
            hostToAgent.close();
            scheduler.shutdownNow();
            RuntimeException first = null;
            while (!resources.isEmpty()) {
                try {
                    resources.pop().close();
                } catch (Exception e) {
                    if (first == null) {
                        first = new IllegalStateException("releasing VM resources failed: " + e.getMessage(), e);
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        } finally {
            resourceLock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "vm" + id + " " + spec.topology();
    }
}

package dev.ktstr.runtime.runner;

import dev.ktstr.kvm.engine.RunningVm;
import dev.ktstr.kvm.introspect.IntrospectException;
import dev.ktstr.kvm.introspect.KallsymsCache;
import dev.ktstr.kvm.introspect.KernelSymbols;
import dev.ktstr.kvm.introspect.KernelView;
import dev.ktstr.kvm.introspect.SymbolResolver;
import dev.ktstr.kvm.introspect.Vmlinux;
import dev.ktstr.kvm.introspect.WatchdogOverride;
import dev.ktstr.runtime.agent.AgentException;
import dev.ktstr.runtime.agent.GuestAgent;
import dev.ktstr.runtime.kernel.ResolvedKernel;
import dev.ktstr.runtime.monitor.Monitor;
import dev.ktstr.runtime.monitor.MonitorAttach;
import dev.ktstr.runtime.monitor.MonitorConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The host's view into a running guest kernel, built once per boot: symbols (from the vmlinux, the
 * per-build cache, or the guest's /proc/kallsyms read through the agent once), then the monitor and
 * the sched_ext watchdog override on top. When the kernel cannot be read (no vmlinux, no BTF, KASLR),
 * both report why instead of failing the run.
 */
final class GuestIntrospection {

    private static final Map<Path, Vmlinux> VMLINUX = new ConcurrentHashMap<>();

    private final KernelView kernel;
    private final String unavailable;
    private final int hz;

    private GuestIntrospection(KernelView kernel, String unavailable, int hz) {
        this.kernel = kernel;
        this.unavailable = unavailable;
        this.hz = hz;
    }

    static GuestIntrospection attach(ResolvedKernel k, RunningVm vm, GuestAgent agent) {
        int hz = k.metadata().hz().orElse(250);
        if (k.vmlinux().isEmpty()) {
            return new GuestIntrospection(null, "no vmlinux for " + k.release() + " (its BTF is needed)", hz);
        }
        try {
            Vmlinux v = VMLINUX.computeIfAbsent(k.vmlinux().get(), p -> {
                try {
                    return Vmlinux.open(p);
                } catch (IOException | IntrospectException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            });
            AtomicReference<String> readFailure = new AtomicReference<>();
            KernelSymbols syms;
            try {
                syms = SymbolResolver.resolve(v, new KallsymsCache(KallsymsCache.defaultDir()), () -> {
                    try {
                        return new String(agent.readFile("/proc/kallsyms", 0), StandardCharsets.US_ASCII);
                    } catch (AgentException e) {
                        readFailure.set(e.getMessage());
                        return null;
                    }
                });
            } catch (IntrospectException e) {
                String why = readFailure.get();
                throw why == null ? e : new IntrospectException(e.getMessage() + " (reading it failed: " + why + ")");
            }
            return new GuestIntrospection(KernelView.attach(vm.memory(), v, syms), null, hz);
        } catch (IntrospectException | IOException | IllegalStateException e) {
            return new GuestIntrospection(null, e.getMessage(), hz);
        } catch (RuntimeException e) {
            // A vmlinux or guest memory that does not hold what its headers promise: no monitor, no crash.
            return new GuestIntrospection(null, "unreadable kernel data in " + k.vmlinux().get() + ": " + e, hz);
        }
    }

    /** A monitor ready to start, or the reason there is none. */
    MonitorAttach monitor(MonitorConfig cfg, RunningVm vm) {
        if (kernel == null) {
            return new MonitorAttach.Disabled(unavailable);
        }
        return Monitor.attach(kernel, hz, cfg, vm::vcpuCpuTimeNs);
    }

    /**
     * Sets the sched_ext watchdog timeout of the scheduler that just attached; returns what was
     * written where.
     *
     * @throws IntrospectException when the kernel cannot be read or written here
     */
    String overrideWatchdog(Duration timeout) throws IntrospectException {
        if (kernel == null) {
            throw new IntrospectException("watchdog override unavailable: " + unavailable);
        }
        return describe(WatchdogOverride.apply(kernel, timeout, hz), hz);
    }

    /** One line for the run's notes: what was written, and from when runnable tasks are held to it. */
    static String describe(WatchdogOverride.Applied a, int hz) {
        String line = "sched_ext watchdog " + a.previous() + " -> " + a.jiffies() + " jiffies (" + a.location() + ")";
        if (a.inForceAfterJiffies() > 0) {
            line += String.format(java.util.Locale.ROOT, "; runnable tasks are checked against it from the kernel's "
                    + "already queued watchdog run in %.1f s", a.inForceAfterJiffies() / (double) hz);
        }
        return line;
    }
}

package dev.ktstr.runtime.runner;

import dev.ktstr.kvm.engine.EngineSelector;
import dev.ktstr.runtime.junit.VmEnvironment;
import dev.ktstr.topology.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The real environment gate: no VM engine means every VM variant is skipped with the engine
 * selector's reason; a shape the host cannot hold (too little memory; on hardware KVM more vCPUs
 * than host CPUs; under emulation more vCPUs than {@code -Dktstr.tcg.maxCpus}, default 128) is
 * skipped with its reason.
 */
public final class RunnerVmEnvironment implements VmEnvironment {

    @Override
    public Optional<String> unavailableReason() {
        EngineSelector.Choice c = RunnerSupport.engine();
        return c.found() ? Optional.empty() : Optional.of("no VM engine: " + c.reason());
    }

    @Override
    public Optional<String> cannotRun(Topology t, long memoryMb) {
        EngineSelector.Choice c = RunnerSupport.engine();
        if (!c.found()) {
            return Optional.of("no VM engine: " + c.reason());
        }
        long availableMb = availableMemoryMb();
        if (availableMb > 0 && memoryMb > availableMb) {
            return Optional.of(t.render() + " needs " + memoryMb + " MiB of guest memory, the host has " + availableMb
                    + " MiB available");
        }
        int cpus = t.totalCpus();
        if (c.engine().id().equals("qemu-tcg")) {
            int max = Integer.getInteger("ktstr.tcg.maxCpus", 128);
            if (cpus > max) {
                return Optional.of(t.render() + " has " + cpus + " vCPUs; software emulation boots them one at a time "
                        + "(about 0.45 s each), above -Dktstr.tcg.maxCpus=" + max);
            }
        } else if (cpus > Runtime.getRuntime().availableProcessors()) {
            return Optional.of(t.render() + " needs " + cpus + " vCPUs, the host has "
                    + Runtime.getRuntime().availableProcessors() + " CPUs");
        }
        return Optional.empty();
    }

    private static long availableMemoryMb() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemAvailable:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024).findFirst().orElse(0);
        } catch (IOException e) {
            return 0;
        }
    }
}

package dev.ktstr.runtime.vm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.kvm.engine.EngineSelector;
import dev.ktstr.runtime.agent.ExecRequest;
import dev.ktstr.runtime.kernel.ResolvedKernel;
import dev.ktstr.topology.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A run killed with SIGKILL leaves a QEMU behind; the next run's engine start cleans it up. */
@Tag("vm")
class KilledRunIT {

    @Test
    void theNextRunKillsTheQemuOfAKilledOne() throws Exception {
        EngineSelector.Choice engine = VmTestSupport.engine();
        ResolvedKernel k = VmTestSupport.kernel();
        Process victim = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), "dev.ktstr.runtime.cli.Main", "shell", "--exec", "sleep 600")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            ProcessHandle qemu = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (qemu == null && System.nanoTime() < deadline) {
                qemu = victim.toHandle().descendants().filter(p -> p.info().command().orElse("").contains("qemu"))
                        .findFirst().orElse(null);
                Thread.sleep(200);
            }
            assertTrue(qemu != null, "the victim started a VM");
            Thread.sleep(12_000); // let it boot and go quiet (a console write after its JVM died would SIGPIPE it)
            victim.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            final ProcessHandle q = qemu;
            assertTrue(qemu.isAlive(), () -> "a SIGKILLed JVM leaves its QEMU running; parent " + q.parent()
                    + ", me " + ProcessHandle.current().pid());
            try (GuestVm vm = GuestLauncher.launch(new GuestLauncher.Request(Topology.of(1, 1, 1), 0, k,
                    Optional.empty(), List.of(), java.util.Map.of(), List.of(), Duration.ofSeconds(60),
                    Duration.ofSeconds(120), false, false), engine)) {
                vm.agent().exec(ExecRequest.of(Duration.ofSeconds(10), "/bin/true"));
            }
            final ProcessHandle orphan = qemu;
            orphan.onExit().get(10, TimeUnit.SECONDS);
            assertFalse(orphan.isAlive(), "the next run's engine start killed the orphaned QEMU");
        } finally {
            victim.destroyForcibly();
        }
    }
}

package dev.ktstr.runtime.cli;

import dev.ktstr.kvm.engine.EngineSelector;
import dev.ktstr.kvm.qemu.QemuEngine;
import dev.ktstr.runtime.agent.AgentException;
import dev.ktstr.runtime.agent.ExecRequest;
import dev.ktstr.runtime.agent.ExecResult;
import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.KernelProvisioner;
import dev.ktstr.runtime.kernel.ResolvedKernel;
import dev.ktstr.runtime.kernel.TerminalProgress;
import dev.ktstr.runtime.vm.BootException;
import dev.ktstr.runtime.vm.GuestLauncher;
import dev.ktstr.runtime.vm.GuestVm;
import dev.ktstr.topology.Topology;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ktstr shell}: boots a VM with busybox and drops into a shell on its console, or runs one
 * command ({@code --exec}) and exits with its exit code. For debugging, not tests: every boot is real.
 */
@Command(name = "shell", mixinStandardHelpOptions = true,
        description = "Boot a VM with busybox and open a shell on its console, or run --exec CMD in it.")
public final class ShellCommand implements Callable<Integer> {

    /** Ctrl+A then x, as in QEMU, force-stops an interactive session. */
    private static final int CTRL_A = 0x01;

    @Spec
    CommandSpec spec;

    @Option(names = "--topology", converter = TopologyOption.class, defaultValue = "1,1,1,1",
            description = "Preset name, NnLlCcTt or n,l,c,t (default ${DEFAULT-VALUE}).")
    Topology topology;

    @Option(names = "--memory-mb", defaultValue = "0", description = "Guest RAM (default: what the topology needs).")
    long memoryMb;

    @Option(names = {"-i", "--include-files"}, description = "Host file, directory or command to copy into the "
            + "guest at /include-files/<name> (ELF files bring their shared libraries). Repeatable.")
    List<String> includes = new ArrayList<>();

    @Option(names = "--exec", description = "Run this shell command in the guest, print its output and exit with its code.")
    String exec;

    @Option(names = "--scheduler", description = "A scheduler binary to ship into the guest at /scheduler.")
    Path scheduler;

    @Option(names = "--dmesg", description = "Show kernel messages on the console (loglevel 7).")
    boolean dmesg;

    @Option(names = "--timeout", defaultValue = "600", description = "Seconds before the VM is stopped (default ${DEFAULT-VALUE}; "
            + "interactive sessions: none).")
    long timeoutS;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        ResolvedKernel kernel;
        try {
            kernel = KernelProvisioner.ensureDefault(TerminalProgress.stderr());
        } catch (KernelException e) {
            err.println("ktstr shell: " + e.getMessage());
            return 2;
        }
        EngineSelector.Choice engine = EngineSelector.fromServiceLoader().choose();
        err.println("ktstr: " + engine.reason());
        // llcs counts LLCs across all nodes (as in ktstr): say the CPU count so 2n2l2c2t's 8 is no surprise
        err.println("ktstr: kernel " + kernel.describe() + ", topology " + topology.render() + " ("
                + topology.totalCpus() + " CPUs: " + topology.numaNodes() + " node(s), " + topology.llcs()
                + " LLC(s) in all, " + topology.coresPerLlc() + " core(s) per LLC, " + topology.threadsPerCore()
                + " thread(s) per core)");
        err.flush();
        boolean interactive = exec == null;
        Duration watchdog = interactive ? Duration.ofDays(1) : Duration.ofSeconds(timeoutS + 60);
        var req = new GuestLauncher.Request(topology, memoryMb, kernel, Optional.ofNullable(scheduler), includes,
                Map.of(), List.of(), GuestLauncher.bootTimeout(engine, topology), watchdog, dmesg, false);
        try (GuestVm vm = GuestLauncher.launch(req, engine)) {
            return interactive ? interactive(vm, err) : execute(vm);
        } catch (BootException e) {
            err.println("ktstr shell: the VM did not boot: " + e.failure().describe());
            return 2;
        } catch (AgentException e) {
            err.println("ktstr shell: " + e.getMessage());
            return 2;
        }
    }

    private int execute(GuestVm vm) throws AgentException {
        ExecResult r = vm.agent().exec(new ExecRequest(List.of("/bin/sh", "-c", exec),
                List.of("PATH=/bin:/sbin:/usr/bin:/usr/sbin:/include-files"), "", Duration.ofSeconds(timeoutS),
                new byte[0]));
        System.out.print(r.stdoutText());
        System.out.flush();
        System.err.print(r.stderrText());
        System.err.flush();
        if (r.timedOut()) {
            spec.commandLine().getErr().println("ktstr shell: '" + exec + "' timed out after " + timeoutS + " s");
            return 124;
        }
        return r.termSignal() != 0 ? 128 + r.termSignal() : r.exitCode();
    }

    private int interactive(GuestVm vm, PrintWriter err) throws AgentException {
        OutputStream consoleIn = QemuEngine.consoleInput(vm.vm());
        if (consoleIn == null) {
            err.println("ktstr shell: the " + vm.engineId() + " engine has no interactive console; use --exec");
            return 2;
        }
        err.println("ktstr: shell on the guest console; exit the shell or press Ctrl+A then x to stop the VM");
        err.flush();
        vm.vm().console().addRawListener((b, n) -> {
            System.out.write(b, 0, n);
            System.out.flush();
        });
        boolean raw = setRaw(true);
        Thread input = new Thread(() -> forwardInput(System.in, consoleIn, vm), "ktstr-shell-input");
        input.setDaemon(true);
        input.start();
        try {
            int[] rc = vm.agent().shell("/dev/ttyS0", List.of("/bin/sh", "-l"),
                    List.of("TERM=" + System.getenv().getOrDefault("TERM", "linux"), "PS1=ktstr:\\w# ",
                            "PATH=/bin:/sbin:/usr/bin:/usr/sbin:/include-files"));
            return rc[1] != 0 ? 128 + rc[1] : rc[0];
        } catch (AgentException e) {
            if (e.kind() == AgentException.Kind.AGENT_DIED) {
                return 130; // stopped with Ctrl+A x, or the VM ended
            }
            throw e;
        } finally {
            if (raw) {
                setRaw(false);
            }
        }
    }

    private static void forwardInput(InputStream in, OutputStream consoleIn, GuestVm vm) {
        try {
            boolean escape = false;
            int c;
            while ((c = in.read()) >= 0) {
                if (escape) {
                    escape = false;
                    if (c == 'x' || c == 'X') {
                        vm.vm().kill();
                        return;
                    }
                    consoleIn.write(CTRL_A);
                } else if (c == CTRL_A) {
                    escape = true;
                    continue;
                }
                consoleIn.write(c);
                consoleIn.flush();
            }
        } catch (IOException e) {
            // the VM ended
        }
    }

    /** Puts the controlling terminal in raw mode (or back); false when there is no terminal. */
    private static boolean setRaw(boolean on) {
        if (System.console() == null) {
            return false;
        }
        try {
            Process p = new ProcessBuilder("sh", "-c", on ? "stty raw -echo < /dev/tty" : "stty sane < /dev/tty")
                    .inheritIO().start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

package dev.ktstr.kvm.engine;

import java.util.List;

/**
 * How a VM ended. Every variant carries the console tail, so a failure message can show what the
 * guest printed last.
 */
public sealed interface VmExit {

    /** Last console lines, oldest first. */
    List<String> consoleTail();

    /** One line for humans, e.g. "kernel panic: Kernel panic - not syncing: sysrq triggered crash". */
    String summary();

    /** Whether this is the normal end of a run (the guest powered off). */
    default boolean clean() {
        return this instanceof PoweredOff;
    }

    /** The guest powered off (ACPI S5 / agent poweroff). */
    record PoweredOff(List<String> consoleTail) implements VmExit {
        @Override
        public String summary() {
            return "powered off";
        }
    }

    /** The guest rebooted (i8042 reset, triple-fault-free reboot). Under panic=-1 this often follows a panic. */
    record Reset(String how, List<String> consoleTail) implements VmExit {
        @Override
        public String summary() {
            return "guest reset (" + how + ")";
        }
    }

    /** The CPU triple-faulted (KVM_EXIT_SHUTDOWN). */
    record TripleFault(int vcpu, List<String> consoleTail) implements VmExit {
        @Override
        public String summary() {
            return "triple fault on vCPU " + vcpu;
        }
    }

    /** KVM could not continue, e.g. an emulation failure, with the instruction bytes where known. */
    record InternalError(int vcpu, String detail, byte[] instructionBytes, List<String> consoleTail) implements VmExit {
        @Override
        public String summary() {
            StringBuilder sb = new StringBuilder("KVM internal error on vCPU " + vcpu + ": " + detail);
            if (instructionBytes != null && instructionBytes.length > 0) {
                sb.append(" (instruction bytes:");
                for (byte b : instructionBytes) {
                    sb.append(String.format(" %02x", b & 0xff));
                }
                sb.append(')');
            }
            return sb.toString();
        }
    }

    /** The guest kernel printed a panic. */
    record KernelPanic(String panicLine, List<String> consoleTail) implements VmExit {
        @Override
        public String summary() {
            return "kernel panic: " + panicLine;
        }
    }

    /** The engine's watchdog stopped the VM. */
    record TimedOut(long afterMs, List<String> consoleTail) implements VmExit {
        @Override
        public String summary() {
            return "VM watchdog fired after " + afterMs + " ms";
        }
    }

    /** The host stopped the VM on request (kill/close before the guest ended). */
    record Killed(String why, List<String> consoleTail) implements VmExit {
        @Override
        public String summary() {
            return "stopped by the host: " + why;
        }
    }

    /** The engine itself failed (e.g. the QEMU process died with an error). */
    record EngineFailed(String detail, List<String> consoleTail) implements VmExit {
        @Override
        public String summary() {
            return "VM engine failed: " + detail;
        }
    }
}

package dev.ktstr.kvm.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Host CPU time of a QEMU process's vCPU threads, from {@code /proc/<pid>/task/<tid>/schedstat}. The
 * threads are recognised by the names QEMU gives them with {@code -name …,debug-threads=on}:
 * {@code CPU <n>/KVM} or {@code CPU <n>/TCG} when each vCPU has its own thread (KVM, multi-threaded
 * TCG), and one {@code ALL CPUs/TCG} thread when single-threaded TCG runs every vCPU in turn. In the
 * latter case a vCPU's own time is unknown and the answer has one entry, as
 * {@link dev.ktstr.kvm.engine.RunningVm#vcpuCpuTimeNs()} specifies. The threads are found once and
 * their schedstat files re-read on every call (the monitor asks ten times a second); they are looked
 * for again when a read fails.
 */
final class VcpuThreadTimes {

    /** The name of single-threaded TCG's one emulation thread (QEMU accel/tcg/tcg-accel-ops-rr.c). */
    static final String SINGLE_TCG_THREAD = "ALL CPUs/TCG";

    private final Path tasks;
    private final int cpus;
    private List<Path> schedstats; // index = vCPU, or one entry for the shared thread

    VcpuThreadTimes(long pid, int cpus) {
        this.tasks = Path.of("/proc", Long.toString(pid), "task");
        this.cpus = cpus;
    }

    /** Per-vCPU host CPU time in ns; one entry under single-threaded TCG; empty when not found. */
    synchronized long[] read() {
        if (schedstats == null || !readInto(schedstats).isPresent()) {
            schedstats = discover();
            if (schedstats == null) {
                return new long[0];
            }
        }
        return readInto(schedstats).orElse(new long[0]);
    }

    private static java.util.Optional<long[]> readInto(List<Path> files) {
        long[] out = new long[files.size()];
        for (int i = 0; i < out.length; i++) {
            try {
                out[i] = firstNumber(Files.readString(files.get(i)));
            } catch (IOException | NumberFormatException e) {
                return java.util.Optional.empty();
            }
        }
        return java.util.Optional.of(out);
    }

    /** The schedstat files of the vCPU threads, or null when they are not (all) there. */
    private List<Path> discover() {
        List<String> names = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        try (var s = Files.list(tasks)) {
            for (Path t : (Iterable<Path>) s::iterator) {
                try {
                    names.add(Files.readString(t.resolve("comm")).strip());
                    dirs.add(t);
                } catch (IOException e) {
                    // the thread ended between listing and reading: not a vCPU thread of a live guest
                }
            }
        } catch (IOException e) {
            return null;
        }
        int[] slots = assign(names, cpus);
        if (slots == null) {
            return null;
        }
        List<Path> out = new ArrayList<>();
        for (int slot : slots) {
            out.add(dirs.get(slot).resolve("schedstat"));
        }
        return out;
    }

    /**
     * Which of the threads named {@code comms} are the vCPU threads: for each vCPU the index of its
     * thread in {@code comms}, or a single index for the shared TCG thread; null when some vCPU has
     * no thread (the guest is not started yet or QEMU names threads differently).
     */
    static int[] assign(List<String> comms, int cpus) {
        int[] perCpu = new int[cpus];
        java.util.Arrays.fill(perCpu, -1);
        for (int i = 0; i < comms.size(); i++) {
            String c = comms.get(i);
            if (c.equals(SINGLE_TCG_THREAD)) {
                return new int[] {i};
            }
            if (!c.startsWith("CPU ")) {
                continue;
            }
            int slash = c.indexOf('/');
            try {
                int idx = Integer.parseInt(c.substring(4, slash < 0 ? c.length() : slash).strip());
                if (idx >= 0 && idx < cpus) {
                    perCpu[idx] = i;
                }
            } catch (NumberFormatException e) {
                // "CPU" followed by something else: not a vCPU thread
            }
        }
        for (int t : perCpu) {
            if (t < 0) {
                return null;
            }
        }
        return perCpu;
    }

    /** The first field of a schedstat line: time spent on a CPU, in ns. */
    static long firstNumber(String schedstat) {
        String s = schedstat.strip();
        int sp = s.indexOf(' ');
        return Long.parseLong(sp < 0 ? s : s.substring(0, sp));
    }
}

package dev.ktstr.kvm.qemu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class VcpuThreadTimesTest {

    @Test
    void singleThreadedTcgIsOneSharedThread() {
        // As seen in /proc/<qemu>/task/*/comm with -accel tcg,thread=single and debug-threads=on.
        List<String> comms = List.of("qemu-system-x86", "qemu-system-x86", "IO mon_iothread", "ALL CPUs/TCG");
        assertArrayEquals(new int[] {3}, VcpuThreadTimes.assign(comms, 2));
    }

    @Test
    void perVcpuThreadsAreOrderedByTheirCpuNumber() {
        List<String> comms = List.of("qemu-system-x86", "CPU 1/KVM", "CPU 0/KVM", "CPU 2/KVM", "IO mon_iothread");
        assertArrayEquals(new int[] {2, 1, 3}, VcpuThreadTimes.assign(comms, 3));
        assertArrayEquals(new int[] {0, 1}, VcpuThreadTimes.assign(List.of("CPU 0/TCG", "CPU 1/TCG"), 2));
    }

    @Test
    void aMissingVcpuThreadIsNotAnAnswer() {
        assertNull(VcpuThreadTimes.assign(List.of("qemu-system-x86", "CPU 0/KVM"), 2));
        assertNull(VcpuThreadTimes.assign(List.of("qemu-system-x86"), 1), "threads not named: no debug-threads");
    }

    @Test
    void schedstatsFirstFieldIsTheRunTime() {
        assertEquals(1562873094L, VcpuThreadTimes.firstNumber("1562873094 97121158 1504\n"));
    }

    @Test
    void thisProcessHasNoVcpuThreads() {
        assertEquals(0, new VcpuThreadTimes(ProcessHandle.current().pid(), 2).read().length);
    }
}

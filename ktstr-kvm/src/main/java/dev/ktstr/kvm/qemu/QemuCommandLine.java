package dev.ktstr.kvm.qemu;

import dev.ktstr.kvm.engine.VmSpec;
import dev.ktstr.topology.Topology;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the {@code qemu-system-x86_64} argument list for a {@link VmSpec}. Pure: no I/O, so the exact
 * command line is unit-tested. Each LLC becomes a QEMU socket (so the guest sees one L3 per LLC and
 * APIC ids packed like the own VMM's), each NUMA node gets its own shared backend file.
 */
public final class QemuCommandLine {

    /** Guest-physical address of the agent region: above the kernel image, below any initrd QEMU places at the top of low RAM. */
    public static final long AGENT_REGION_GPA = 0x8000000L;

    private QemuCommandLine() {}

    /**
     * @param kvm           use KVM ({@code -accel kvm -cpu host}) instead of single-threaded TCG
     * @param ramFiles      one backend file per NUMA node
     * @param initrd        the initramfs file QEMU loads
     * @param agentSocket   COM2's UNIX socket (QEMU connects to it)
     * @param qmpSocket     QMP's UNIX socket (QEMU connects to it)
     */
    public static List<String> build(Path qemu, VmSpec spec, boolean kvm, List<Path> ramFiles, Path initrd,
            Path agentSocket, Path qmpSocket) {
        Topology t = spec.topology();
        List<String> a = new ArrayList<>();
        a.add(qemu.toString());
        a.add("-M");
        a.add(t.numaNodes() == 1 ? "pc,memory-backend=ram0" : "pc");
        if (kvm) {
            a.addAll(List.of("-accel", "kvm", "-cpu", "host"));
        } else {
            // Multi-threaded TCG in QEMU 7.2 oopsed in 2 of 7 boots (text-patching race); single never did.
            a.addAll(List.of("-accel", "tcg,thread=single"));
        }
        a.addAll(List.of("-m", spec.memoryMb() + "M"));
        a.addAll(List.of("-smp", "cpus=" + t.totalCpus() + ",sockets=" + t.llcs() + ",cores=" + t.coresPerLlc()
                + ",threads=" + t.threadsPerCore()));
        for (int n = 0; n < t.numaNodes(); n++) {
            a.addAll(List.of("-object", "memory-backend-file,id=ram" + n + ",size=" + spec.nodeMemoryMb(n)
                    + "M,mem-path=" + ramFiles.get(n) + ",share=on"));
        }
        if (t.numaNodes() > 1) {
            for (int n = 0; n < t.numaNodes(); n++) {
                a.addAll(List.of("-numa", "node,nodeid=" + n + ",memdev=ram" + n));
            }
            for (int llc = 0; llc < t.llcs(); llc++) {
                a.addAll(List.of("-numa", "cpu,node-id=" + t.nodeOfLlc(llc) + ",socket-id=" + llc));
            }
            for (int i = 0; i < t.numaNodes(); i++) {
                for (int j = i + 1; j < t.numaNodes(); j++) {
                    a.addAll(List.of("-numa", "dist,src=" + i + ",dst=" + j + ",val=" + spec.distances().distance(i, j)));
                }
            }
        }
        a.addAll(List.of("-kernel", spec.kernel().path().toString()));
        a.addAll(List.of("-initrd", initrd.toString()));
        a.addAll(List.of("-append", guestCmdline(spec)));
        a.addAll(List.of("-nodefaults", "-no-user-config", "-display", "none", "-no-reboot"));
        // Thread names ("CPU 0/TCG", "CPU 3/KVM") let the host attribute CPU time to vCPUs.
        a.addAll(List.of("-name", "ktstr,debug-threads=on"));
        a.addAll(List.of("-chardev", "stdio,id=con,signal=off", "-serial", "chardev:con"));
        a.addAll(List.of("-chardev", "socket,id=agent,path=" + agentSocket, "-serial", "chardev:agent"));
        a.addAll(List.of("-chardev", "socket,id=qmp,path=" + qmpSocket, "-mon", "chardev=qmp,mode=control"));
        return a;
    }

    /** The spec's command line plus what this engine adds: the console and the agent region. */
    public static String guestCmdline(VmSpec spec) {
        StringBuilder sb = new StringBuilder(spec.cmdline().trim());
        sb.append(" console=ttyS0");
        if (spec.agentRegionBytes() > 0) {
            // memmap=SIZE$ADDR marks the region reserved, so Linux leaves it to /dev/mem (iomem=relaxed).
            sb.append(String.format(" memmap=0x%x$0x%x ktstr.shm=0x%x,0x%x", spec.agentRegionBytes(), AGENT_REGION_GPA,
                    AGENT_REGION_GPA, spec.agentRegionBytes()));
        }
        return sb.toString();
    }
}

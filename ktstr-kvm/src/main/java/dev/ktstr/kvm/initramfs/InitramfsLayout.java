package dev.ktstr.kvm.initramfs;

import java.util.List;

/**
 * Where things are in the guest's root filesystem, as the base and suffix archives lay them out and
 * the guest agent expects them. One place for these names so the agent's C side and the host agree.
 */
public final class InitramfsLayout {

    /** The guest agent, run by the kernel as PID 1 ({@code rdinit=/init}). Mode 0755. */
    public static final String INIT = "/init";

    /** The scheduler binary under test, when there is one. Mode 0755. */
    public static final String SCHEDULER = "/scheduler";

    /**
     * Present only if the whole base archive was unpacked: written as the base's last member, so a
     * truncated initrd lacks it. Holds {@code ktstr-base <key>\n}.
     */
    public static final String MARKER = "/.ktstr_init_ok";

    /** Default home of included files: {@code /include-files/<file name>}. */
    public static final String INCLUDE_DIR = "/include-files";

    /** Busybox (Debian {@code busybox-static}); its applets are symlinks beside it in {@code /bin}. */
    public static final String BUSYBOX = "/bin/busybox";

    /** Directory of the per-run suffix's files, e.g. {@code /ktstr/args}. */
    public static final String RUN_DIR = "/ktstr";

    /** The kernel's console device node, so PID 1 starts with stdin/stdout/stderr on it. */
    public static final CpioEntry.CharDevice CONSOLE = new CpioEntry.CharDevice("/dev/console", 0600, 5, 1);

    /** Directories the agent mounts on or writes to, created empty in every base. */
    public static final List<CpioEntry.Directory> DIRECTORIES = List.of(
            new CpioEntry.Directory("/bin", 0755),
            new CpioEntry.Directory("/dev", 0755),
            new CpioEntry.Directory("/etc", 0755),
            new CpioEntry.Directory(RUN_DIR, 0755),
            new CpioEntry.Directory("/proc", 0555),
            new CpioEntry.Directory("/run", 0755),
            new CpioEntry.Directory("/sys", 0555),
            new CpioEntry.Directory("/sys/fs", 0755),
            new CpioEntry.Directory("/sys/fs/cgroup", 0755),
            new CpioEntry.Directory("/tmp", 01777));

    private InitramfsLayout() {}
}

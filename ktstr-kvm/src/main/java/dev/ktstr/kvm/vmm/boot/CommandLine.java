package dev.ktstr.kvm.vmm.boot;

/**
 * The kernel command line the VMM passes: the caller's line, then what this machine needs the kernel
 * to know — the console on COM1 unless the caller chose one, and where the agent region is
 * ({@code ktstr.shm=<gpa>,<size>}, hexadecimal, which the guest agent parses).
 */
public final class CommandLine {

    public static final String CONSOLE = "console=ttyS0";
    public static final String AGENT_REGION_KEY = "ktstr.shm=";

    private CommandLine() {}

    public static String compose(String callerLine, long agentGpa, long agentBytes) {
        StringBuilder sb = new StringBuilder(callerLine.strip());
        if (!hasParameter(callerLine, "console")) {
            append(sb, CONSOLE);
        }
        if (agentBytes > 0) {
            append(sb, agentRegion(agentGpa, agentBytes));
        }
        return sb.toString();
    }

    /** {@code ktstr.shm=0x<gpa>,0x<size>}. */
    public static String agentRegion(long gpa, long bytes) {
        return AGENT_REGION_KEY + "0x" + Long.toHexString(gpa) + ",0x" + Long.toHexString(bytes);
    }

    static boolean hasParameter(String line, String key) {
        for (String word : line.strip().split("\\s+")) {
            if (word.equals(key) || word.startsWith(key + "=")) {
                return true;
            }
        }
        return false;
    }

    private static void append(StringBuilder sb, String word) {
        if (sb.length() > 0) {
            sb.append(' ');
        }
        sb.append(word);
    }
}

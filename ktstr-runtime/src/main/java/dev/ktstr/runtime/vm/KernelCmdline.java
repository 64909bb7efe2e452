package dev.ktstr.runtime.vm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The guest kernel command line every ktstr guest gets, plus what a scheduler asks for. The fast
 * defaults are the ones measured to boot a cloud kernel under TCG in under 2 s (environment.md),
 * except {@code loglevel=1} instead of 0: at 0 the kernel stays silent even when it panics
 * ({@code console_verbose()} leaves a zero log level alone), and the panic is the evidence we need;
 * {@code nokaslr} keeps kernel addresses predictable for the host-side monitor, {@code iomem=relaxed}
 * lets the agent map its region through /dev/mem, and schedstats feed the run-delay measurements.
 */
public final class KernelCmdline {

    private KernelCmdline() {}

    static final List<String> BASE = List.of(
            "rdinit=/init", "panic=-1", "quiet", "loglevel=1", "no_timer_check", "tsc=reliable",
            "i8042.noaux", "i8042.nokbd", "i8042.nopnp", "i8042.dumbkbd", "nokaslr", "mitigations=off",
            "cryptomgr.notests", "audit=0", "nowatchdog", "random.trust_cpu=on", "rcupdate.rcu_expedited=1",
            "lsm=capability", "iomem=relaxed", "sysctl.kernel.sched_schedstats=1",
            "sysctl.kernel.unprivileged_bpf_disabled=0", "initramfs_options=size=90%");

    /**
     * @param sysctls  guest sysctls ({@code key -> value}), applied by the kernel at boot
     * @param kargs    extra kernel arguments, appended last so they can override the defaults
     * @param verbose  keep kernel messages on the console (loglevel 7) for debugging
     */
    public static String build(Map<String, String> sysctls, List<String> kargs, boolean verbose) {
        List<String> out = new ArrayList<>();
        for (String a : BASE) {
            if (verbose && (a.equals("quiet") || a.equals("loglevel=1"))) {
                continue;
            }
            out.add(a);
        }
        if (verbose) {
            out.add("loglevel=7");
        }
        sysctls.forEach((k, v) -> {
            if (k.isBlank() || k.contains(" ") || v.contains(" ")) {
                throw new IllegalArgumentException("sysctl '" + k + "=" + v + "' must not contain spaces");
            }
            out.add("sysctl." + k + "=" + v);
        });
        out.addAll(kargs);
        return String.join(" ", out);
    }
}

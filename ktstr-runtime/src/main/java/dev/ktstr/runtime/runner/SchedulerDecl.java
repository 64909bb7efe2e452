package dev.ktstr.runtime.runner;

import dev.ktstr.annotations.Flag;
import dev.ktstr.annotations.FlagNames;
import dev.ktstr.annotations.Scheduler;
import dev.ktstr.annotations.Sysctl;
import dev.ktstr.runtime.checks.Thresholds;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code @Scheduler} enum as the runtime needs it.
 *
 * @param enumClass   the enum
 * @param name        sched_ext ops name (and the name in results); {@code eevdf} for the kernel default
 * @param binary      the binary to discover, or empty for the kernel's own scheduler
 * @param schedArgs   arguments always passed
 * @param sysctls     guest sysctls, in declaration order
 * @param kargs       extra kernel arguments
 * @param cgroupParent the cgroup the scheduler manages, or ""
 * @param configFile  a config file shipped to /include-files, or ""
 * @param flags       the flags in declaration order
 * @param checks      the scheduler's threshold layer
 */
public record SchedulerDecl(Class<?> enumClass, String name, Optional<String> binary, List<String> schedArgs,
        Map<String, String> sysctls, List<String> kargs, String cgroupParent, String configFile,
        List<FlagDecl> flags, Thresholds checks) {

    /** One flag: kebab name, the arguments it adds, the kebab names it requires. */
    public record FlagDecl(String name, List<String> args, List<String> requires) {}

    /** Reads the {@code @Scheduler} on {@code enumClass}. */
    public static SchedulerDecl of(Class<?> enumClass) {
        Scheduler s = enumClass.getAnnotation(Scheduler.class);
        if (s == null || !enumClass.isEnum()) {
            throw new IllegalArgumentException(enumClass.getName() + " is not a @Scheduler enum");
        }
        List<FlagDecl> flags = new ArrayList<>();
        for (Field f : enumClass.getDeclaredFields()) {
            if (!f.isEnumConstant()) {
                continue;
            }
            Flag flag = f.getAnnotation(Flag.class);
            List<String> req = new ArrayList<>();
            for (String r : flag == null ? new String[0] : flag.requires()) {
                req.add(r.contains("-") || r.chars().allMatch(c -> Character.isLowerCase(c) || Character.isDigit(c))
                        ? r : FlagNames.kebab(r));
            }
            flags.add(new FlagDecl(FlagNames.kebab(f.getName()), List.of(flag == null ? new String[0] : flag.args()),
                    List.copyOf(req)));
        }
        Map<String, String> sysctls = new LinkedHashMap<>();
        for (Sysctl c : s.sysctls()) {
            sysctls.put(c.key(), c.value());
        }
        return new SchedulerDecl(enumClass, s.name(), s.binary().isBlank() ? Optional.empty() : Optional.of(s.binary()),
                List.of(s.schedArgs()), Map.copyOf(sysctls), List.of(s.kargs()), s.cgroupParent(), s.configFile(),
                List.copyOf(flags), Thresholds.of(s));
    }

    /** Whether this is the kernel's own scheduler (no scheduler process is started). */
    public boolean isKernelDefault() {
        return binary.isEmpty();
    }

    public Optional<FlagDecl> flag(String kebabName) {
        return flags.stream().filter(f -> f.name().equals(kebabName)).findFirst();
    }

    /**
     * The scheduler's command line for a set of active flags, in ktstr's order: {@code --config},
     * {@code --cell-parent-cgroup}, the scheduler's own arguments, the test's extra arguments, then
     * each active flag's arguments in declaration order.
     */
    public List<String> arguments(List<String> extraArgs, List<String> activeFlags) {
        List<String> out = new ArrayList<>();
        if (!configFile.isBlank()) {
            out.add("--config");
            out.add("/include-files/" + java.nio.file.Path.of(configFile).getFileName());
        }
        if (!cgroupParent.isBlank()) {
            out.add("--cell-parent-cgroup");
            out.add(cgroupParent);
        }
        out.addAll(schedArgs);
        out.addAll(extraArgs);
        for (FlagDecl f : flags) {
            if (activeFlags.contains(f.name())) {
                out.addAll(f.args());
            }
        }
        for (String a : activeFlags) {
            if (flag(a).isEmpty()) {
                throw new IllegalArgumentException("scheduler " + name + " has no flag '" + a + "' (flags: "
                        + String.join(", ", flags.stream().map(FlagDecl::name).toList()) + ")");
            }
        }
        return out;
    }
}

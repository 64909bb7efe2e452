package dev.ktstr.runtime.sched;

import dev.ktstr.annotations.Flag;
import dev.ktstr.annotations.Scheduler;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link Scheduler @Scheduler} enum read at run time: the scheduler's name (the sched_ext ops name
 * it registers), its binary, its fixed arguments and its flags in declaration order (ktstr facts
 * §6.2). The annotation processor validates the same enum at compile time; this class repeats only
 * the checks that keep a run from going wrong (unknown {@code requires}, duplicate names), so the
 * CLI can also read enums that were never compiled with the processor.
 *
 * @param name         the ops name ({@code simple} for scx_simple)
 * @param binary       what discovery looks for; empty for the kernel's default scheduler
 * @param schedArgs    arguments always passed first
 * @param cgroupParent {@code --cell-parent-cgroup} value, or empty
 * @param configFile   a file passed as {@code --config /include-files/<name>}, or empty
 * @param sysctls      guest sysctls the scheduler needs ({@code key -> value})
 * @param kargs        extra kernel command-line arguments it needs
 * @param flags        the flags in declaration order
 */
public record SchedulerDefinition(String name, String binary, List<String> schedArgs, String cgroupParent,
        String configFile, Map<String, String> sysctls, List<String> kargs, List<FlagDef> flags) {

    /** Where shipped include files live in the guest (the initramfs layout's include directory). */
    public static final String GUEST_INCLUDE_DIR = "/include-files";

    /**
     * One flag.
     *
     * @param constant the enum constant ({@code SHORT_SLICE})
     * @param name     its kebab-case name ({@code short-slice}), used in profiles and results
     * @param args     the scheduler arguments it adds
     * @param requires constants that must be active with it
     */
    public record FlagDef(String constant, String name, List<String> args, List<String> requires) {
        public FlagDef {
            args = List.copyOf(args);
            requires = List.copyOf(requires);
        }
    }

    public SchedulerDefinition {
        schedArgs = List.copyOf(schedArgs);
        sysctls = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sysctls));
        kargs = List.copyOf(kargs);
        flags = List.copyOf(flags);
    }

    /** A definition for a plain binary with no enum: its flags are given as named argument sets. */
    public static SchedulerDefinition forBinary(String name, String binary, List<FlagDef> flags) {
        return new SchedulerDefinition(name, binary, List.of(), "", "", Map.of(), List.of(), flags);
    }

    /**
     * Reads a {@code @Scheduler} enum.
     *
     * @throws SchedulerException {@link SchedulerException.Kind#BAD_DEFINITION} when the type is not an
     *     annotated enum, or a {@code requires} names no constant of it
     */
    public static SchedulerDefinition of(Class<?> type) throws SchedulerException {
        Scheduler s = type.getAnnotation(Scheduler.class);
        if (s == null || !type.isEnum()) {
            throw new SchedulerException(SchedulerException.Kind.BAD_DEFINITION, type.getName()
                    + " is not an enum annotated with @Scheduler");
        }
        List<FlagDef> flags = new ArrayList<>();
        Set<String> constants = new LinkedHashSet<>();
        for (Field f : type.getFields()) {
            if (f.isEnumConstant()) {
                constants.add(f.getName());
            }
        }
        for (Field f : type.getFields()) {
            if (!f.isEnumConstant()) {
                continue;
            }
            Flag flag = f.getAnnotation(Flag.class);
            List<String> args = flag == null ? List.of() : List.of(flag.args());
            List<String> requires = flag == null ? List.of() : List.of(flag.requires());
            for (String r : requires) {
                if (!constants.contains(r)) {
                    throw new SchedulerException(SchedulerException.Kind.BAD_DEFINITION, type.getName() + "."
                            + f.getName() + " requires '" + r + "', which is not a constant of " + type.getSimpleName()
                            + " (constants: " + String.join(", ", constants) + ")");
                }
            }
            flags.add(new FlagDef(f.getName(), kebab(f.getName()), args, requires));
        }
        Map<String, String> sysctls = new java.util.LinkedHashMap<>();
        for (dev.ktstr.annotations.Sysctl sc : s.sysctls()) {
            sysctls.put(sc.key(), sc.value());
        }
        return new SchedulerDefinition(s.name(), s.binary(), List.of(s.schedArgs()), s.cgroupParent(),
                s.configFile(), sysctls, List.of(s.kargs()), flags);
    }

    /** Whether this is the kernel's own scheduler (no binary to load). */
    public boolean isKernelDefault() {
        return binary.isEmpty();
    }

    /** The flag with this constant or kebab name. */
    public Optional<FlagDef> flag(String constantOrName) {
        for (FlagDef f : flags) {
            if (f.constant().equals(constantOrName) || f.name().equals(constantOrName)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /**
     * The flags named (constants or kebab names), in declaration order.
     *
     * @throws SchedulerException when a name is not a flag of this scheduler
     */
    public List<FlagDef> flags(Collection<String> names) throws SchedulerException {
        Set<String> wanted = new LinkedHashSet<>();
        for (String n : names) {
            FlagDef f = flag(n).orElseThrow(() -> new SchedulerException(SchedulerException.Kind.BAD_DEFINITION,
                    "'" + n + "' is not a flag of scheduler " + name + " (flags: "
                            + String.join(", ", flags.stream().map(FlagDef::name).toList()) + ")"));
            wanted.add(f.constant());
        }
        return flags.stream().filter(f -> wanted.contains(f.constant())).toList();
    }

    /**
     * Every valid flag profile (ktstr facts §6.3): {@code required} plus each subset of the optional
     * flags (all − required − excluded) in which every flag's {@code requires} are present; flags
     * within a profile in declaration order, profiles in subset-mask order.
     */
    public List<List<FlagDef>> profiles(Collection<String> required, Collection<String> excluded)
            throws SchedulerException {
        List<FlagDef> req = flags(required);
        List<FlagDef> exc = flags(excluded);
        List<FlagDef> optional = flags.stream().filter(f -> !req.contains(f) && !exc.contains(f)).toList();
        if (optional.size() > 20) {
            throw new SchedulerException(SchedulerException.Kind.BAD_DEFINITION, name + " has " + optional.size()
                    + " optional flags: 2^" + optional.size() + " profiles are too many; exclude some");
        }
        List<List<FlagDef>> out = new ArrayList<>();
        for (long mask = 0; mask < (1L << optional.size()); mask++) {
            Set<String> active = new LinkedHashSet<>();
            req.forEach(f -> active.add(f.constant()));
            for (int i = 0; i < optional.size(); i++) {
                if ((mask & (1L << i)) != 0) {
                    active.add(optional.get(i).constant());
                }
            }
            List<FlagDef> profile = flags.stream().filter(f -> active.contains(f.constant())).toList();
            if (profile.stream().allMatch(f -> active.containsAll(f.requires()))) {
                out.add(profile);
            }
        }
        return out;
    }

    /** A profile's display name: kebab names joined by {@code +}, or {@code default}. */
    public static String profileName(List<FlagDef> profile) {
        return profile.isEmpty() ? "default" : String.join("+", profile.stream().map(FlagDef::name).toList());
    }

    /**
     * The scheduler's command line for a run (ktstr facts §6.2): {@code --config
     * /include-files/<file>}, {@code --cell-parent-cgroup <path>}, the scheduler's own arguments, the
     * test's extra arguments, then the active flags' arguments in declaration order.
     */
    public List<String> arguments(List<String> extraSchedArgs, List<FlagDef> activeFlags) {
        List<String> out = new ArrayList<>();
        if (!configFile.isEmpty()) {
            String file = configFile.substring(configFile.lastIndexOf('/') + 1);
            out.add("--config");
            out.add(GUEST_INCLUDE_DIR + "/" + file);
        }
        if (!cgroupParent.isEmpty()) {
            out.add("--cell-parent-cgroup");
            out.add(cgroupParent);
        }
        out.addAll(schedArgs);
        out.addAll(extraSchedArgs);
        Map<String, FlagDef> byConstant = new HashMap<>();
        activeFlags.forEach(f -> byConstant.put(f.constant(), f));
        for (FlagDef f : flags) {
            if (byConstant.containsKey(f.constant())) {
                out.addAll(f.args());
            }
        }
        return out;
    }

    /**
     * The kebab-case of a constant, as the annotation processor names flags (ktstr facts §6.2):
     * {@code SHORT_SLICE} → {@code short-slice}, {@code RejectPin} → {@code reject-pin},
     * {@code HTTPServer} → {@code http-server}, {@code Cpu1Fast} → {@code cpu1-fast}.
     */
    static String kebab(String constant) {
        List<String> words = new ArrayList<>();
        for (String part : constant.split("[_$]+")) {
            int start = 0;
            for (int i = 1; i < part.length(); i++) {
                char prev = part.charAt(i - 1);
                char c = part.charAt(i);
                boolean lowerToUpper = (Character.isLowerCase(prev) || Character.isDigit(prev))
                        && Character.isUpperCase(c);
                boolean acronymEnd = Character.isUpperCase(prev) && Character.isUpperCase(c) && i + 1 < part.length()
                        && Character.isLowerCase(part.charAt(i + 1));
                if (lowerToUpper || acronymEnd) {
                    words.add(part.substring(start, i).toLowerCase(Locale.ROOT));
                    start = i;
                }
            }
            if (start < part.length()) {
                words.add(part.substring(start).toLowerCase(Locale.ROOT));
            }
        }
        return String.join("-", words);
    }
}

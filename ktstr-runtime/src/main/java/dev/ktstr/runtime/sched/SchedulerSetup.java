package dev.ktstr.runtime.sched;

import dev.ktstr.annotations.ExpectedFailure;
import dev.ktstr.runtime.kernel.ProgressSink;
import dev.ktstr.runtime.kernel.ResolvedKernel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scheduler side of one run, prepared before any VM boots: what the test runner and
 * {@code ktstr run --vm} hand to the guest launcher (the binary, include files, sysctls, kernel
 * arguments) and to {@link SchedulerSession#start} after boot (the launch). Discovery happens here,
 * so a missing binary fails the run before anything boots.
 *
 * <pre>{@code
 * Optional<SchedulerSetup> s = SchedulerSetup.forTest(QmapFlag.class, variant.flags(), extraSchedArgs,
 *         Optional.of(Duration.ofSeconds(watchdogTimeoutS)), kernel, SchedulerCatalog.system(), progress);
 * // GuestLauncher.Request(..., scheduler = s.map(SchedulerSetup::binary), includes + s.includes(),
 * //     sysctls + s.sysctls(), kargs + s.kargs(), ...)
 * SchedulerSession session = SchedulerSession.start(vm.agent(), s.get().launch(), watchdogControl);
 * }</pre>
 *
 * @param definition the scheduler
 * @param launch     how to run it ({@link SchedulerLaunch#GUEST_PATH}, merged arguments, watchdog)
 * @param includes   host files to ship to {@code /include-files} (the config file, when declared)
 * @param sysctls    guest sysctls the scheduler declares
 * @param kargs      kernel arguments the scheduler declares
 */
public record SchedulerSetup(SchedulerDefinition definition, SchedulerLaunch launch, List<String> includes,
        Map<String, String> sysctls, List<String> kargs) {

    public SchedulerSetup {
        includes = List.copyOf(includes);
        sysctls = Map.copyOf(sysctls);
        kargs = List.copyOf(kargs);
    }

    /** The binary the guest launcher ships to {@link SchedulerLaunch#GUEST_PATH}. */
    public Path binary() {
        return launch.hostBinary();
    }

    /**
     * The scheduler of a {@code @KtstrTest}: empty for the kernel's default scheduler.
     *
     * @param schedulerEnum  {@code @KtstrTest(scheduler)}
     * @param activeFlags    the variant's flags (kebab names or constants)
     * @param extraSchedArgs {@code @KtstrTest(extraSchedArgs)}
     * @param watchdog       {@code @KtstrTest(watchdogTimeoutS)}
     * @throws SchedulerException a bad enum or flag, or discovery's {@link SchedulerException.Kind#NOT_FOUND}
     */
    public static Optional<SchedulerSetup> forTest(Class<?> schedulerEnum, List<String> activeFlags,
            List<String> extraSchedArgs, Optional<Duration> watchdog, ResolvedKernel kernel, SchedulerCatalog catalog,
            ProgressSink progress) throws SchedulerException {
        SchedulerDefinition def = SchedulerDefinition.of(schedulerEnum);
        if (def.isKernelDefault()) {
            return Optional.empty();
        }
        return Optional.of(prepare(def, def.flags(activeFlags), extraSchedArgs, watchdog, kernel, catalog, progress));
    }

    /**
     * A plain binary with literal arguments ({@code ktstr run --vm --scheduler BIN --flags a,b}): its
     * ops name is known for ktstr's own builds, else {@code opsName} ("" accepts any).
     */
    public static SchedulerSetup forBinary(String binary, String opsName, List<String> args,
            Optional<Duration> watchdog, ResolvedKernel kernel, SchedulerCatalog catalog, ProgressSink progress)
            throws SchedulerException {
        String base = binary.substring(binary.lastIndexOf('/') + 1);
        String ops = opsName.isEmpty() ? BuildableScheduler.byBinary(base).map(BuildableScheduler::opsName).orElse("")
                : opsName;
        SchedulerDefinition def = SchedulerDefinition.forBinary(ops, binary, List.of());
        return prepare(def, List.of(), args, watchdog, kernel, catalog, progress);
    }

    /**
     * What {@code --flags} mean for a plain binary ({@code ktstr run --vm --scheduler BIN --flags a,b}).
     *
     * @param names the flag names, in declaration order, when the binary has {@link BuildableScheduler#knownFlags()};
     *              empty when the flags were literal arguments
     * @param args  the arguments they give the binary
     */
    public record BinaryFlags(List<String> names, List<String> args) {
        public BinaryFlags {
            names = List.copyOf(names);
            args = List.copyOf(args);
        }

        /** Whether the flags were names of flags ktstr knows for the binary. */
        public boolean named() {
            return !names.isEmpty();
        }
    }

    /**
     * {@code flags} for {@code binary}: for a binary ktstr knows flags of (the fixture's built-in
     * flags) they are flag names, checked (each known, each with the flags it requires) and turned
     * into its arguments in declaration order; for any other binary they are its literal arguments.
     * {@code extraArgs} go verbatim before them (the order of {@link SchedulerDefinition#arguments}).
     *
     * @throws SchedulerException {@link SchedulerException.Kind#BAD_DEFINITION} for an unknown flag or a
     *     flag without one it requires
     */
    public static BinaryFlags binaryFlags(String binary, List<String> flags, List<String> extraArgs)
            throws SchedulerException {
        String base = binary.substring(binary.lastIndexOf('/') + 1);
        Optional<Class<? extends Enum<?>>> known = BuildableScheduler.byBinary(base).flatMap(BuildableScheduler::knownFlags);
        if (known.isEmpty() || flags.isEmpty()) {
            List<String> args = new ArrayList<>(extraArgs);
            args.addAll(flags);
            return new BinaryFlags(List.of(), args);
        }
        SchedulerDefinition def = SchedulerDefinition.of(known.get());
        List<SchedulerDefinition.FlagDef> active = def.flags(flags);
        for (SchedulerDefinition.FlagDef f : active) {
            for (String r : f.requires()) {
                if (active.stream().noneMatch(a -> a.constant().equals(r))) {
                    throw new SchedulerException(SchedulerException.Kind.BAD_DEFINITION, "flag '" + f.name()
                            + "' of " + base + " requires '" + def.flag(r).map(SchedulerDefinition.FlagDef::name)
                                    .orElse(r) + "'");
                }
            }
        }
        return new BinaryFlags(active.stream().map(SchedulerDefinition.FlagDef::name).toList(),
                def.arguments(extraArgs, active));
    }

    private static SchedulerSetup prepare(SchedulerDefinition def, List<SchedulerDefinition.FlagDef> flags,
            List<String> extra, Optional<Duration> watchdog, ResolvedKernel kernel, SchedulerCatalog catalog,
            ProgressSink progress) throws SchedulerException {
        SchedulerCatalog.Found found = catalog.find(def.binary(), kernel, progress);
        List<String> includes = new ArrayList<>();
        if (!def.configFile().isEmpty()) {
            Path cfg = Path.of(def.configFile());
            if (!Files.isRegularFile(cfg)) {
                throw new SchedulerException(SchedulerException.Kind.NOT_FOUND, "config file '" + def.configFile()
                        + "' of scheduler " + def.name() + " not found (" + cfg.toAbsolutePath() + ")");
            }
            includes.add(def.configFile());
        }
        SchedulerLaunch launch = SchedulerLaunch.plan(def, found, extra, flags, watchdog);
        return new SchedulerSetup(def, launch, includes, def.sysctls(), def.kargs());
    }

    /** Whether {@code failure} is what a test declaring {@code expected} wants. */
    public static boolean satisfies(ExpectedFailure expected, SchedulerFailure failure) {
        return expected == ExpectedFailure.ANY || failure.expected() == expected;
    }
}

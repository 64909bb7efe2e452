package dev.ktstr.runtime.scenario.canned;

import dev.ktstr.runtime.scenario.Scenario;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One scenario of the {@link Catalog}: what {@code ktstr list} shows and {@code ktstr run} runs.
 *
 * @param scenario       the scenario (its name is the entry's name)
 * @param category       where it is listed
 * @param requiredFlags  built-in scheduler flags it is meant for; it runs only when all are active
 * @param excludedFlags  flags under which it does not run
 * @param numCgroups     cgroups of a data-driven steady scenario, 0 when the scenario defines its own
 * @param partition      the steady scenario's cpuset partition ({@link CpusetPartition#NONE} otherwise)
 */
public record CatalogEntry(Scenario scenario, Category category, List<String> requiredFlags,
        List<String> excludedFlags, int numCgroups, CpusetPartition partition) {

    public CatalogEntry {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(category, "category");
        requiredFlags = List.copyOf(requiredFlags);
        excludedFlags = List.copyOf(excludedFlags);
        Objects.requireNonNull(partition, "partition");
        for (String f : requiredFlags) {
            Catalog.checkFlag(f);
        }
        for (String f : excludedFlags) {
            Catalog.checkFlag(f);
        }
    }

    public String name() {
        return scenario.name();
    }

    public String description() {
        return scenario.description();
    }

    /** Whether this entry runs under a scheduler with {@code activeFlags}. */
    public boolean runsWith(Collection<String> activeFlags) {
        return activeFlags.containsAll(requiredFlags) && excludedFlags.stream().noneMatch(activeFlags::contains);
    }

    /** The catalog's categories (ktstr's 11 category strings). */
    public enum Category {
        BASIC, CPUSET, STRESS, ADVANCED, INTERACTION, SCHED_CLASS, PERFORMANCE, AFFINITY, NESTED, DYNAMIC, STALL;

        /** The lower-case id, e.g. {@code sched_class}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}

package dev.ktstr.runtime.cli.scenario;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What bare-metal {@code ktstr run} can do on this host (ktstr facts §4.3: cgroup v2 only, cgroups
 * under {@code /sys/fs/cgroup/ktstr-<pid>}): whether cgroup v2 is mounted, which controllers the
 * root offers, and whether we may create cgroups. A missing cgroup v2 or no write access is fatal
 * (the run cannot start); a missing {@code cpuset} controller only costs the scenarios that write
 * cpusets, which are then skipped with {@link #cpusetLimitation()} as the reason.
 *
 * @param cgroupRoot       where cgroup v2 should be mounted
 * @param cgroup2          {@code cgroup.controllers} exists there (cgroup v2)
 * @param controllers      the controllers the root offers
 * @param writable         the root's directory is writable (root or delegated)
 * @param otherV2Mounts    cgroup v2 mounts elsewhere (a hybrid hierarchy, e.g. {@code /sys/fs/cgroup/unified})
 */
public record BareMetalPreflight(Path cgroupRoot, boolean cgroup2, Set<String> controllers, boolean writable,
        List<String> otherV2Mounts) {

    public BareMetalPreflight {
        controllers = Set.copyOf(controllers);
        otherV2Mounts = List.copyOf(otherV2Mounts);
    }

    /** Looks at {@code /sys/fs/cgroup} (and {@code /proc/self/mounts} to explain a hybrid hierarchy). */
    public static BareMetalPreflight check() {
        String mounts;
        try {
            mounts = Files.readString(Path.of("/proc/self/mounts"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            mounts = "";
        }
        return check(Path.of("/sys/fs/cgroup"), mounts);
    }

    /** Looks at a cgroup v2 mount point, given the text of {@code /proc/self/mounts}. */
    public static BareMetalPreflight check(Path root, String procMounts) {
        List<String> v2 = new ArrayList<>();
        for (String line : procMounts.split("\n")) {
            String[] f = line.trim().split("\s+");
            if (f.length >= 3 && f[2].equals("cgroup2") && !Path.of(f[1]).equals(root)) {
                v2.add(f[1]);
            }
        }
        Path controllersFile = root.resolve("cgroup.controllers");
        if (!Files.isRegularFile(controllersFile)) {
            return new BareMetalPreflight(root, false, Set.of(), false, v2);
        }
        Set<String> controllers = new TreeSet<>();
        try {
            String text = Files.readString(controllersFile, StandardCharsets.UTF_8).trim();
            if (!text.isEmpty()) {
                controllers.addAll(List.of(text.split("\\s+")));
            }
        } catch (IOException e) {
            return new BareMetalPreflight(root, true, Set.of(), false, v2);
        }
        return new BareMetalPreflight(root, true, controllers, Files.isWritable(root), v2);
    }

    /** Reasons the run cannot start at all (empty when it can). */
    public List<String> fatalProblems() {
        List<String> out = new ArrayList<>();
        if (!cgroup2) {
            String hybrid = otherV2Mounts.isEmpty() ? "cgroup v1 or nothing"
                    : "a hybrid hierarchy: cgroup v2 is only at " + String.join(", ", otherV2Mounts)
                            + ", where the controllers are bound to v1";
            out.add("bare-metal runs need the unified cgroup v2 hierarchy at " + cgroupRoot + " (no cgroup.controllers "
                    + "there: " + hybrid + "); boot with systemd.unified_cgroup_hierarchy=1, or use --vm");
        } else if (!writable) {
            out.add("bare-metal runs create cgroups under " + cgroupRoot + " and need write access to it "
                    + "(run as root or with a delegated cgroup), or use --vm");
        }
        return out;
    }

    /** Why cpusets cannot be written, when the {@code cpuset} controller is missing. */
    public Optional<String> cpusetLimitation() {
        if (cgroup2 && !controllers.contains("cpuset")) {
            return Optional.of("the cpuset controller is not available in " + cgroupRoot + "/cgroup.controllers ("
                    + (controllers.isEmpty() ? "none" : String.join(" ", new TreeSet<>(controllers))) + ")");
        }
        return Optional.empty();
    }

    /** One paragraph for the user: what works and what does not. */
    public String describe() {
        if (!fatalProblems().isEmpty()) {
            return String.join("\n", fatalProblems());
        }
        StringBuilder sb = new StringBuilder("cgroup v2 at " + cgroupRoot + ", controllers: "
                + (controllers.isEmpty() ? "none" : String.join(" ", new TreeSet<>(controllers))));
        cpusetLimitation().ifPresent(l -> sb.append("\nscenarios that write cpusets will be skipped: ").append(l));
        if (!controllers.contains("cpu")) {
            sb.append("\nno cpu controller: cgroup CPU weights cannot be used (scenarios here do not set them)");
        }
        return sb.toString();
    }
}

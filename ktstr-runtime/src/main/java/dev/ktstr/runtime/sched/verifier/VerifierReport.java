package dev.ktstr.runtime.sched.verifier;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.ktstr.runtime.sched.SchedulerFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The result of {@code ktstr verifier}: per flag profile, the scheduler's BPF programs with their
 * verified instruction counts, or the reason it did not load (with the cycle-collapsed verifier log).
 *
 * @param scheduler the ops name
 * @param binary    the host binary
 * @param kernel    the kernel's description
 * @param engine    the VM engine
 * @param cpus      the guest's CPUs
 * @param profiles  one result per profile, in the order run
 */
public record VerifierReport(String scheduler, String binary, String kernel, String engine, int cpus,
        List<ProfileResult> profiles) {

    public VerifierReport {
        profiles = List.copyOf(profiles);
    }

    /**
     * One profile's result.
     *
     * @param profile     its name ({@code default}, {@code fifo}, {@code llc+steal})
     * @param args        the scheduler's command line
     * @param loaded      it attached
     * @param attachMs    load and attach time
     * @param programs    its programs (empty when it did not load)
     * @param failure     the one-line reason it did not load ("" when it did)
     * @param verifierLog the cycle-collapsed verifier log of a failed load ("" otherwise)
     */
    public record ProfileResult(String profile, List<String> args, boolean loaded, long attachMs,
            List<BpfProgram> programs, String failure, String verifierLog) {

        public ProfileResult {
            args = List.copyOf(args);
            programs = List.copyOf(programs);
        }

        static ProfileResult failed(String profile, List<String> args, SchedulerFailure f) {
            String log = f instanceof SchedulerFailure.AttachFailed a ? a.verifierLog() : "";
            return new ProfileResult(profile, args, false, -1, List.of(), f.summary(), log.isEmpty() ? f.evidence()
                    : log);
        }

        /** Sum of the programs' verified instructions. */
        @JsonIgnore
        public long totalVerifiedInsns() {
            return programs.stream().mapToLong(BpfProgram::verifiedInsns).sum();
        }
    }

    /** Whether every profile loaded. */
    @JsonIgnore
    public boolean allLoaded() {
        return profiles.stream().allMatch(ProfileResult::loaded);
    }

    /** The human table: one row per program per profile, a total per profile, failures with their logs. */
    public String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "scheduler %s (%s) on %s, %s, %d CPU%s%n", scheduler, binary, kernel,
                engine, cpus, cpus == 1 ? "" : "s"));
        int w = "PROGRAM".length();
        for (ProfileResult p : profiles) {
            for (BpfProgram prog : p.programs()) {
                w = Math.max(w, prog.name().length());
            }
        }
        int pw = "PROFILE".length();
        for (ProfileResult p : profiles) {
            pw = Math.max(pw, p.profile().length());
        }
        String fmt = "%-" + pw + "s  %-" + w + "s  %-12s %14s%n";
        b.append(String.format(Locale.ROOT, fmt, "PROFILE", "PROGRAM", "TYPE", "VERIFIED_INSNS"));
        List<ProfileResult> failed = new ArrayList<>();
        for (ProfileResult p : profiles) {
            if (!p.loaded()) {
                b.append(String.format(Locale.ROOT, "%-" + pw + "s  %s%n", p.profile(), p.failure()));
                failed.add(p);
                continue;
            }
            for (BpfProgram prog : p.programs()) {
                b.append(String.format(Locale.ROOT, fmt, p.profile(), prog.name(), prog.type(), prog.verifiedInsns()));
            }
            b.append(String.format(Locale.ROOT, fmt, p.profile(), "(total)", "", p.totalVerifiedInsns()));
        }
        for (ProfileResult p : failed) {
            b.append(String.format(Locale.ROOT, "%n--- %s: %s ---%n%s%n", p.profile(), String.join(" ", p.args()),
                    p.verifierLog().strip()));
        }
        return b.toString();
    }
}

package dev.ktstr.runtime.junit;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Synthetic candidates for selection tests. */
final class Candidates {

    private Candidates() {}

    /** {@code n} candidates over {@code tests} tests and a few flags, with costs of 2–30 s. */
    static List<BudgetSelector.Candidate> random(long seed, int n, int tests) {
        Random r = new Random(seed);
        List<BudgetSelector.Candidate> out = new ArrayList<>();
        String[] flags = {"llc", "borrow", "steal", "rebal", "reject-pin", "no-ctrl", "x1", "x2"};
        for (int i = 0; i < n; i++) {
            List<String> f = new ArrayList<>();
            int test = r.nextInt(tests);
            f.add("test:T#t" + test);
            f.add("sched:s" + (test % 3));
            for (String flag : flags) {
                if (r.nextBoolean()) {
                    f.add("flag:s" + (test % 3) + "/" + flag);
                }
            }
            f.add("cpus:" + r.nextInt(5));
            f.add("llcs:" + r.nextInt(5));
            f.add(r.nextBoolean() ? "smt:on" : "smt:off");
            double cost = 2 + r.nextInt(2800) / 100.0;
            String id = "gauntlet/t" + test + "/p" + (i % 17) + "/" + i;
            out.add(new BudgetSelector.Candidate("G#m" + i, id, cost, f));
        }
        return out;
    }
}

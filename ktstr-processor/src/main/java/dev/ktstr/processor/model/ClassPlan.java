package dev.ktstr.processor.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything generated for one class declaring {@code @KtstrTest} methods: VM variants go into
 * {@code <Class>_KtstrIT} (run by Failsafe), host-only tests into {@code <Class>_KtstrHostTest} (run
 * by Surefire). Method names are readable and stable: the base test keeps the method's name, a
 * gauntlet variant is {@code method__preset__flag_flag} (or {@code __default}), with {@code -}
 * becoming {@code _}; a name already taken gets {@code _2}, {@code _3}, … in generation order.
 *
 * @param testClass the declaring class
 * @param tests     its tests in declaration order
 * @param vm        the methods of the VM class (empty: the class is not generated)
 * @param host      the methods of the host class (empty: the class is not generated)
 */
public record ClassPlan(TestClassRef testClass, List<TestModel> tests, List<PlannedTest> vm, List<PlannedTest> host) {

    public static final String VM_SUFFIX = "_KtstrIT";
    public static final String HOST_SUFFIX = "_KtstrHostTest";

    /** Names a generated no-argument method must not take: {@code Object}'s own. */
    private static final Set<String> RESERVED =
            Set.of("getClass", "hashCode", "toString", "clone", "finalize", "notify", "notifyAll", "wait");

    public ClassPlan {
        tests = List.copyOf(tests);
        vm = List.copyOf(vm);
        host = List.copyOf(host);
    }

    /** Expands every test and names every generated method. */
    public static ClassPlan of(TestClassRef testClass, List<TestModel> tests) {
        List<PlannedTest> vm = new ArrayList<>();
        List<PlannedTest> host = new ArrayList<>();
        Set<String> vmNames = new HashSet<>(RESERVED);
        Set<String> hostNames = new HashSet<>(RESERVED);
        String vmClass = testClass.companionBinaryName(VM_SUFFIX);
        String hostClass = testClass.companionBinaryName(HOST_SUFFIX);
        for (TestModel t : tests) {
            for (VariantModel v : Expansion.expand(t)) {
                boolean isHost = t.hostOnly();
                String name = unique(methodName(v), isHost ? hostNames : vmNames);
                PlannedTest p = new PlannedTest(v, isHost ? hostClass : vmClass, name, CostModel.estimateSecs(v),
                        Features.of(v));
                (isHost ? host : vm).add(p);
            }
        }
        return new ClassPlan(testClass, tests, vm, host);
    }

    /** Every planned method, VM class first. */
    public List<PlannedTest> all() {
        List<PlannedTest> out = new ArrayList<>(vm);
        out.addAll(host);
        return out;
    }

    static String methodName(VariantModel v) {
        if (!v.isGauntlet()) {
            return v.test().method();
        }
        String profile = v.flags().isEmpty() ? "default" : String.join("_", v.flags());
        return v.test().method() + "__" + Names.javaIdentifier(v.preset()) + "__" + Names.javaIdentifier(profile);
    }

    private static String unique(String base, Set<String> taken) {
        if (taken.add(base)) {
            return base;
        }
        for (int i = 2; ; i++) {
            String candidate = base + "_" + i;
            if (taken.add(candidate)) {
                return candidate;
            }
        }
    }
}

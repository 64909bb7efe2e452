package dev.ktstr.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.ktstr.processor.Sources.DEMO_FLAG;
import static dev.ktstr.processor.Sources.compileLenient;
import static dev.ktstr.processor.Sources.source;

import com.google.testing.compile.Compilation;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every mistake the processor rejects, each asserted by its stable id, the file, and the line the
 * error points at (the exact annotation value where there is one). The sources put each value on its
 * own line so the line assertion tells values apart.
 */
class ErrorCasesTest {

    /**
     * One bad program.
     *
     * @param name    what is wrong
     * @param bad     the file holding the mistake
     * @param others  further sources it needs
     * @param id      the expected id, e.g. {@code KtstrFlagCycle}
     * @param line    a fragment of the line the error must point at
     * @param text    a further fragment the message must contain
     */
    record Case(String name, JavaFileObject bad, List<JavaFileObject> others, String id, String line, String text) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case c(String name, String id, String line, String text, JavaFileObject bad, JavaFileObject... others) {
        return new Case(name, bad, List.of(others), id, line, text);
    }

    /** A test class {@code T} with one test method carrying {@code attributes}. */
    private static JavaFileObject test(String... attributeLines) {
        List<String> lines = new ArrayList<>();
        lines.add("class T {");
        lines.add("    @KtstrTest(");
        lines.addAll(List.of(attributeLines));
        lines.add("    )");
        lines.add("    void fair(Ctx ctx) {}");
        lines.add("}");
        return source("T", lines.toArray(String[]::new));
    }

    /** A scheduler enum {@code S} with the given annotation attribute lines and body lines. */
    private static JavaFileObject scheduler(List<String> attributes, String... body) {
        List<String> lines = new ArrayList<>();
        lines.add("@Scheduler(name = \"s\",");
        lines.addAll(attributes);
        lines.add(")");
        lines.add("enum S {");
        lines.addAll(List.of(body));
        lines.add("}");
        return source("S", lines.toArray(String[]::new));
    }

    private static JavaFileObject flags(String... body) {
        return scheduler(List.of("binary = \"scx_s\""), body);
    }

    static Stream<Case> cases() {
        List<Case> out = new ArrayList<>();
        // --- @Scheduler -------------------------------------------------------------------------
        out.add(c("scheduler on a class", "KtstrSchedulerNotEnum", "@Scheduler(name = \"x\")", "is a class",
                source("X", "@Scheduler(name = \"x\")", "class X {}")));
        out.add(c("scheduler on an interface", "KtstrSchedulerNotEnum", "@Scheduler(name = \"x\")", "is an interface",
                source("X", "@Scheduler(name = \"x\")", "interface X {}")));
        out.add(c("scheduler name with a space", "KtstrSchedulerName", "name = \"has space\"", "'has space'",
                source("X", "@Scheduler(", "    name = \"has space\")", "enum X {}")));
        out.add(c("empty scheduler name", "KtstrSchedulerName", "name = \"\"", "''",
                source("X", "@Scheduler(", "    name = \"\")", "enum X {}")));
        out.add(c("zero topology llcs", "KtstrBadSize", "llcs = 0", "llcs must be positive, got 0",
                scheduler(List.of("topology = @Topology(", "    llcs = 0)"))));
        out.add(c("negative topology cores", "KtstrBadSize", "cores = -2", "cores must be positive, got -2",
                scheduler(List.of("topology = @Topology(", "    cores = -2)"))));
        out.add(c("zero topology threads", "KtstrBadSize", "threads = 0", "threads must be positive",
                scheduler(List.of("topology = @Topology(", "    threads = 0)"))));
        out.add(c("scheduler llcs not a multiple of numa nodes", "KtstrLlcsNotMultipleOfNuma", "llcs = 3",
                "llcs (3) must be a multiple of numaNodes (2)",
                scheduler(List.of("topology = @Topology(numaNodes = 2,", "    llcs = 3)"))));
        out.add(c("scheduler minLlcs above maxLlcs", "KtstrMinExceedsMax", "minLlcs = 8", "minLlcs (8) exceeds maxLlcs (4)",
                scheduler(List.of("    minLlcs = 8,", "    maxLlcs = 4"))));
        out.add(c("scheduler zero maxCpus", "KtstrBadSize", "maxCpus = 0", "maxCpus must be positive, got 0",
                scheduler(List.of("    maxCpus = 0"))));
        out.add(c("scheduler spread above 100 percent", "KtstrBadThreshold", "maxSpreadPct = 150",
                "maxSpreadPct must be a percentage above 0 and at most 100, got 150.0",
                scheduler(List.of("checks = @Checks(", "    maxSpreadPct = 150)"))));
        out.add(c("scheduler zero gap", "KtstrBadSize", "maxGapMs = 0", "maxGapMs must be positive",
                scheduler(List.of("checks = @Checks(", "    maxGapMs = 0)"))));
        out.add(c("blank scheduler argument", "KtstrBlankArg", "\" \"", "schedArgs has a blank entry at index 1",
                scheduler(List.of("schedArgs = {\"--slice\",", "    \" \"}"))));
        out.add(c("sysctl key with a space", "KtstrBadSysctl", "key = \"kernel sched\"", "sysctl key 'kernel sched'",
                scheduler(List.of("sysctls = @Sysctl(", "    key = \"kernel sched\", value = \"1\")"))));
        out.add(c("too many flags in one scheduler", "KtstrTooManyFlags", "enum S", "declares 64 flags",
                flags(manyConstants(64))));
        // --- @Flag --------------------------------------------------------------------------------
        out.add(c("flag on a field of a class", "KtstrFlagOutsideScheduler", "@Flag(args = \"-x\")", "C.X",
                source("C", "class C {", "    @Flag(args = \"-x\")", "    static int X;", "}")));
        out.add(c("flag in an enum without @Scheduler", "KtstrFlagOutsideScheduler", "@Flag(args = \"-x\")", "E.X",
                source("E", "enum E {", "    @Flag(args = \"-x\")", "    X", "}")));
        out.add(c("flag on a static field of a scheduler", "KtstrFlagNotConstant", "@Flag(args = \"-y\")", "S.NOT_A_FLAG",
                flags("A;", "    @Flag(args = \"-y\")", "    static final int NOT_A_FLAG = 1;")));
        out.add(c("unknown flag in requires", "KtstrUnknownFlag", "\"LCC\"", "'LCC' in the requirements of STEAL",
                flags("@Flag(args = \"--llc\") LLC,", "@Flag(args = \"--steal\", requires = {", "    \"LCC\"}) STEAL")));
        out.add(c("requirement listed twice", "KtstrDuplicateFlagRef", "\"llc\"", "'llc' is listed twice",
                flags("@Flag(args = \"--llc\") LLC,", "@Flag(args = \"--steal\", requires = {\"LLC\",", "    \"llc\"}) STEAL")));
        out.add(c("two-flag requirement cycle", "KtstrFlagCycle", "\"B\"", "a -> b -> a",
                flags("@Flag(args = \"-a\", requires = {", "    \"B\"}) A,", "@Flag(args = \"-b\", requires = \"A\") B")));
        out.add(c("three-flag requirement cycle", "KtstrFlagCycle", "\"C\"", "b -> c -> d -> b",
                flags("@Flag(args = \"-a\") A,", "@Flag(args = \"-b\", requires = {", "    \"C\"}) B,",
                        "@Flag(args = \"-c\", requires = \"D\") C,", "@Flag(args = \"-d\", requires = \"B\") D")));
        out.add(c("flag requiring itself", "KtstrFlagCycle", "\"SELF\"", "self -> self",
                flags("@Flag(args = \"-s\", requires = {", "    \"SELF\"}) SELF")));
        out.add(c("two constants with one kebab name", "KtstrDuplicateFlagName", "NoCtrl",
                "NO_CTRL and NoCtrl both have the name 'no-ctrl'",
                flags("@Flag(args = \"-n\") NO_CTRL,", "@Flag(args = \"-m\") NoCtrl")));
        out.add(c("two flags passing one option", "KtstrDuplicateFlagArg", "\"--slice\", \"20\"",
                "flag 'long-slice' passes --slice, which flag 'short-slice' also passes",
                flags("@Flag(args = {\"--slice\", \"5\"}) SHORT_SLICE,", "@Flag(args = {", "    \"--slice\", \"20\"}) LONG_SLICE")));
        out.add(c("two flags passing one option with =", "KtstrDuplicateFlagArg", "\"--mode=b\"", "passes --mode",
                flags("@Flag(args = \"--mode=a\") A,", "@Flag(args = {", "    \"--mode=b\"}) B")));
        out.add(c("blank flag argument", "KtstrBlankArg", "\"\"})", "args has a blank entry at index 0",
                flags("@Flag(args = {", "    \"\"}) A")));
        // --- @KtstrTest: scheduler and flags ---------------------------------------------------------
        out.add(c("scheduler class without @Scheduler", "KtstrNotAScheduler", "scheduler = Plain.class",
                "t.Plain is not annotated @Scheduler", test("        scheduler = Plain.class"),
                source("Plain", "enum Plain { A }")));
        out.add(c("unknown required flag", "KtstrUnknownFlag", "\"lcc\"", "'lcc' in requiredFlags is not a flag of t.DemoFlag",
                test("        scheduler = DemoFlag.class,", "        requiredFlags = {", "            \"lcc\"}"), DEMO_FLAG));
        out.add(c("unknown excluded flag", "KtstrUnknownFlag", "\"STEEL\"", "'STEEL' in excludedFlags",
                test("        scheduler = DemoFlag.class,", "        excludedFlags = {\"LLC\",", "            \"STEEL\"}"),
                DEMO_FLAG));
        out.add(c("required flag of the kernel default", "KtstrUnknownFlag", "\"llc\"", "(its flags: none)",
                test("        requiredFlags = {", "            \"llc\"}")));
        out.add(c("required flag listed twice", "KtstrDuplicateFlagRef", "\"llc\"}", "'llc' is listed twice in requiredFlags",
                test("        scheduler = DemoFlag.class,", "        requiredFlags = {\"LLC\",", "            \"llc\"}"), DEMO_FLAG));
        out.add(c("flag both required and excluded", "KtstrFlagRequiredAndExcluded", "\"borrow\"",
                "'borrow' is both required and excluded", test("        scheduler = DemoFlag.class,",
                        "        requiredFlags = \"BORROW\",", "        excludedFlags = {", "            \"borrow\"}"),
                DEMO_FLAG));
        out.add(c("required flag needing an excluded one", "KtstrRequiredNeedsExcluded", "\"STEAL\"",
                "required flag 'steal' needs 'llc', which is excluded", test("        scheduler = DemoFlag.class,",
                        "        requiredFlags = {", "            \"STEAL\"},", "        excludedFlags = \"LLC\""),
                DEMO_FLAG));
        out.add(c("required flag needing an excluded one through a chain", "KtstrRequiredNeedsExcluded", "\"C\"",
                "'c' needs 'a'", test("        scheduler = S.class,", "        requiredFlags = {", "            \"C\"},",
                        "        excludedFlags = \"A\""),
                flags("@Flag(args = \"-a\") A,", "@Flag(args = \"-b\", requires = \"A\") B,",
                        "@Flag(args = \"-c\", requires = \"B\") C")));
        out.add(c("more than 16 optional flags", "KtstrTooManyFlags", "scheduler = S.class", "17 optional flags",
                test("        scheduler = S.class"), flags(manyConstants(17))));
        // --- @KtstrTest: sizes and bounds ----------------------------------------------------------
        out.add(c("zero llcs", "KtstrBadSize", "llcs = 0", "llcs must be positive, got 0", test("        llcs = 0")));
        out.add(c("zero cores", "KtstrBadSize", "cores = 0", "cores must be positive", test("        cores = 0")));
        out.add(c("negative threads", "KtstrBadSize", "threads = -5", "threads must be positive, got -5",
                test("        threads = -5")));
        out.add(c("zero numa nodes", "KtstrBadSize", "numaNodes = 0", "numaNodes must be positive",
                test("        numaNodes = 0")));
        out.add(c("zero memory", "KtstrBadSize", "memoryMb = 0", "memoryMb must be positive", test("        memoryMb = 0")));
        out.add(c("zero duration", "KtstrBadSize", "durationS = 0", "durationS must be positive",
                test("        durationS = 0")));
        out.add(c("negative workers", "KtstrBadSize", "workersPerCgroup = -1", "workersPerCgroup must be positive",
                test("        workersPerCgroup = -1")));
        out.add(c("zero watchdog", "KtstrBadSize", "watchdogTimeoutS = 0", "watchdogTimeoutS must be positive",
                test("        watchdogTimeoutS = 0")));
        out.add(c("zero cleanup budget", "KtstrBadSize", "cleanupBudgetMs = 0", "cleanupBudgetMs must be positive",
                test("        cleanupBudgetMs = 0")));
        out.add(c("zero minLlcs", "KtstrBadSize", "minLlcs = 0", "minLlcs must be positive", test("        minLlcs = 0")));
        out.add(c("llcs not a multiple of numa nodes", "KtstrLlcsNotMultipleOfNuma", "llcs = 3",
                "llcs (3) must be a multiple of numaNodes (2)", test("        numaNodes = 2,", "        llcs = 3")));
        out.add(c("inherited llcs not a multiple of numa nodes", "KtstrLlcsNotMultipleOfNuma", "numaNodes = 2",
                "llcs (1) must be a multiple of numaNodes (2)", test("        numaNodes = 2")));
        out.add(c("minLlcs above maxLlcs", "KtstrMinExceedsMax", "minLlcs = 4", "minLlcs (4) exceeds maxLlcs (2)",
                test("        minLlcs = 4,", "        maxLlcs = 2")));
        out.add(c("minCpus above the default maxCpus", "KtstrMinExceedsMax", "minCpus = 300",
                "minCpus (300) exceeds maxCpus (192, the default)", test("        minCpus = 300")));
        out.add(c("maxNumaNodes below the default minNumaNodes", "KtstrMinExceedsMax", "minNumaNodes = 3",
                "minNumaNodes (3) exceeds maxNumaNodes (2)", test("        minNumaNodes = 3,", "        maxNumaNodes = 2")));
        out.add(c("scheduler minLlcs above the default maxLlcs", "KtstrMinExceedsMax", "scheduler = S.class",
                "minLlcs (16, from scheduler s) exceeds maxLlcs (12, the default)", test("        scheduler = S.class"),
                scheduler(List.of("    minLlcs = 16"), "@Flag(args = \"-a\") A")));
        out.add(c("no preset in the cpu range", "KtstrNoPreset", "@KtstrTest(", "cpus 100..120",
                test("        minCpus = 100,", "        maxCpus = 120")));
        out.add(c("smt required but at most 4 cpus", "KtstrNoPreset", "@KtstrTest(", "SMT",
                test("        requiresSmt = true,", "        maxCpus = 4")));
        out.add(c("fraction above one", "KtstrBadThreshold", "minPageLocality = 1.5",
                "minPageLocality must be a fraction between 0 and 1, got 1.5", test("        minPageLocality = 1.5")));
        out.add(c("imbalance ratio below one", "KtstrBadThreshold", "maxImbalanceRatio = 0.5", "at least 1",
                test("        maxImbalanceRatio = 0.5")));
        out.add(c("NaN threshold", "KtstrBadThreshold", "maxThroughputCv = Double.NaN", "got NaN",
                test("        maxThroughputCv = Double.NaN")));
        out.add(c("negative rate", "KtstrBadThreshold", "minWorkRate = -3", "zero or more", test("        minWorkRate = -3")));
        out.add(c("blank extra scheduler argument", "KtstrBlankArg", "\"\"}", "extraSchedArgs has a blank entry at index 0",
                test("        extraSchedArgs = {", "            \"\"}")));
        // --- @KtstrTest: the method and its class ----------------------------------------------------
        out.add(c("no parameter", "KtstrBadSignature", "void fair()", "it takes 0 parameters",
                source("T", "class T {", "    @KtstrTest", "    void fair() {}", "}")));
        out.add(c("wrong parameter type", "KtstrBadSignature", "void fair(String", "its parameter is java.lang.String",
                source("T", "class T {", "    @KtstrTest", "    void fair(String ctx) {}", "}")));
        out.add(c("two parameters", "KtstrBadSignature", "void fair(Ctx ctx, int", "it takes 2 parameters",
                source("T", "class T {", "    @KtstrTest", "    void fair(Ctx ctx, int n) {}", "}")));
        out.add(c("non-void return", "KtstrBadSignature", "int fair(", "it returns int",
                source("T", "class T {", "    @KtstrTest", "    int fair(Ctx ctx) { return 0; }", "}")));
        out.add(c("generic method", "KtstrBadSignature", "<X> void fair(", "type parameters",
                source("T", "class T {", "    @KtstrTest", "    <X> void fair(Ctx ctx) {}", "}")));
        out.add(c("abstract method", "KtstrBadSignature", "abstract void fair(", "it is abstract",
                source("T", "abstract class T {", "    @KtstrTest", "    abstract void fair(Ctx ctx);", "}")));
        out.add(c("throws Throwable", "KtstrBadThrows", "throws Throwable", "declares throws java.lang.Throwable",
                source("T", "class T {", "    @KtstrTest", "    void fair(Ctx ctx) throws Throwable {}", "}")));
        out.add(c("private method", "KtstrPrivateMethod", "private void fair(", "T.fair is private",
                source("T", "class T {", "    @KtstrTest", "    private void fair(Ctx ctx) {}", "}")));
        out.add(c("private nested class", "KtstrInaccessibleClass", "static void fair(", "which is private",
                source("T", "class T {", "    private static class In {", "        @KtstrTest",
                        "        static void fair(Ctx ctx) {}", "    }", "}")));
        out.add(c("inner class", "KtstrInnerClass", "void fair(", "instance method of the inner class In",
                source("T", "class T {", "    class In {", "        @KtstrTest", "        void fair(Ctx ctx) {}", "    }",
                        "}")));
        out.add(c("abstract class", "KtstrNotInstantiable", "void fair(", "is abstract",
                source("T", "abstract class T {", "    @KtstrTest", "    void fair(Ctx ctx) {}", "}")));
        out.add(c("interface default method", "KtstrNotInstantiable", "default void fair(", "is an interface",
                source("T", "interface T {", "    @KtstrTest", "    default void fair(Ctx ctx) {}", "}")));
        out.add(c("enum instance method", "KtstrNotInstantiable", "void fair(", "is an enum",
                source("T", "enum T { A;", "    @KtstrTest", "    void fair(Ctx ctx) {}", "}")));
        out.add(c("only a constructor with parameters", "KtstrNoNoArgConstructor", "void fair(",
                "T has no accessible no-argument constructor", source("T", "class T {", "    T(int x) {}",
                        "    @KtstrTest", "    void fair(Ctx ctx) {}", "}")));
        out.add(c("private no-argument constructor", "KtstrNoNoArgConstructor", "void fair(", "T.fair needs",
                source("T", "class T {", "    private T() {}", "    @KtstrTest", "    void fair(Ctx ctx) {}", "}")));
        out.add(c("constructor throwing Throwable", "KtstrBadThrows", "void fair(", "the no-argument constructor of T",
                source("T", "class T {", "    T() throws Throwable {}", "    @KtstrTest", "    void fair(Ctx ctx) {}", "}")));
        out.add(c("two tests with one name", "KtstrDuplicateTest", "static void fair(Ctx ctx, int n)",
                "another @KtstrTest method of T is also named fair", source("T", "class T {", "    @KtstrTest",
                        "    void fair(Ctx ctx) {}", "    @KtstrTest", "    static void fair(Ctx ctx, int n) {}", "}")));
        out.add(c("too many variants in one class", "KtstrTooManyVariants", "class T", "more than 10000 in one class",
                source("T", "class T {", "    @KtstrTest(scheduler = S.class) void a(Ctx ctx) {}",
                        "    @KtstrTest(scheduler = S.class) void b(Ctx ctx) {}",
                        "    @KtstrTest(scheduler = S.class) void c(Ctx ctx) {}", "}"),
                flags(manyConstants(8))));
        return out.stream();
    }

    private static String[] manyConstants(int n) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = "@Flag(args = \"--f" + i + "\") F" + i + (i + 1 < n ? "," : "");
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsTheMistakeWhereItIs(Case c) {
        List<JavaFileObject> all = new ArrayList<>(c.others());
        all.add(0, c.bad());
        Compilation compilation = compileLenient(all.toArray(JavaFileObject[]::new));
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("[" + c.id() + "]").inFile(c.bad()).onLineContaining(c.line());
        assertThat(compilation).hadErrorContaining(c.text());
    }
}

package dev.ktstr.runtime.kernel.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ktstr.runtime.kernel.FeatureState;
import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.KernelException.Kind;
import dev.ktstr.runtime.kernel.KernelSource;
import dev.ktstr.runtime.kernel.ProgressSink;
import dev.ktstr.runtime.kernel.cache.CacheEntry;
import dev.ktstr.runtime.kernel.cache.KernelCache;
import dev.ktstr.runtime.kernel.image.KernelConfig;
import dev.ktstr.runtime.kernel.process.ProcessRunner;
import dev.ktstr.runtime.kernel.testing.KernelFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build pipeline against a fake kernel tree whose Makefile emulates defconfig, olddefconfig
 * (last assignment wins, unsupported options dropped), kernelversion and bzImage; plus, when a real
 * linux-source tree is present, a real {@code make olddefconfig} of ktstr.kconfig.
 */
class KernelBuilderTest {

    /** Recipes are indented with a tab, as make requires. */
    private static final String MAKEFILE = String.join("\n",
            "OUT := $(if $(O),$(O),$(CURDIR))",
            "defconfig:",
            "\tprintf 'CONFIG_HZ=250\\nCONFIG_SMP=y\\n# CONFIG_PSI is not set\\nCONFIG_WIRELESS=y\\n' > $(OUT)/.config",
            "olddefconfig:",
            "\tgrep -v -x -F -f $(CURDIR)/unsupported $(OUT)/.config | grep -v '^#' | awk -F= '{v[$$1]=$$0; if (!($$1 in o)) o[$$1]=++n; k[o[$$1]]=$$1} END {for (i=1;i<=n;i++) print v[k[i]]}' > $(OUT)/.config.new",
            "\tmv $(OUT)/.config.new $(OUT)/.config",
            "\tif ! grep -q CONFIG_WIRELESS= $(OUT)/.config; then echo CONFIG_WIRELESS=y >> $(OUT)/.config; fi",
            "kernelversion:",
            "\t@echo 7.9.9",
            "bzImage:",
            "\ttest ! -e $(CURDIR)/fail || (echo 'error: simulated compiler failure' >&2; false)",
            "\techo '  CC      kernel/sched/ext.o'",
            "\tmkdir -p $(OUT)/arch/x86/boot",
            "\tcp $(CURDIR)/fixture-bzImage $(OUT)/arch/x86/boot/bzImage",
            "\techo built >> $(CURDIR)/builds.log",
            ".PHONY: defconfig olddefconfig kernelversion bzImage",
            "");

    @TempDir
    Path tmp;

    private final List<String> makeLines = Collections.synchronizedList(new ArrayList<>());

    private Path fakeTree() throws IOException {
        assumeTrue(ProcessRunner.onPath("make") && ProcessRunner.onPath("awk"), "make and awk are needed");
        Path tree = Files.createDirectories(tmp.resolve("linux"));
        Files.createDirectories(tree.resolve("arch/x86"));
        Files.writeString(tree.resolve("Makefile"), MAKEFILE);
        Files.write(tree.resolve("fixture-bzImage"), KernelFixtures.bzImage(KernelFixtures.elf(true, true),
                KernelFixtures.Payload.GZIP));
        Files.writeString(tree.resolve("unsupported"), "CONFIG_NOTHING_IS_UNSUPPORTED=y\n");
        return tree;
    }

    private KernelBuilder builder(KernelCache cache) {
        return new KernelBuilder(cache, ProgressSink.SILENT, makeLines::add, Clock.systemUTC());
    }

    private static int builds(Path tree) throws IOException {
        Path log = tree.resolve("builds.log");
        return Files.exists(log) ? Files.readAllLines(log).size() : 0;
    }

    @Test
    void buildsConfiguresChecksAndCachesThenReusesTheEntry() throws Exception {
        Path tree = fakeTree();
        KernelCache cache = new KernelCache(tmp.resolve("cache"));
        Path frag = Files.writeString(tmp.resolve("user.kconfig"), "CONFIG_HZ=1000\n");
        KernelBuilder.Result r = builder(cache).build(new KernelBuilder.Request(tree, Optional.empty(),
                Optional.of(frag), 2, false));
        CacheEntry e = r.entry().orElseThrow();
        assertFalse(r.reused());
        assertTrue(r.key().startsWith("local-7.9.9-tree-"), r.key());
        assertEquals(1000, e.metadata().configHz(), "the user's fragment wins over defconfig");
        assertEquals(FeatureState.YES, e.metadata().schedExt());
        assertEquals(FeatureState.YES, e.metadata().pvhEntry());
        KernelSource.LocalBuild src = (KernelSource.LocalBuild) e.metadata().source();
        assertEquals(tree.toString(), src.sourceDir());
        assertTrue(r.verdict().preferences().stream().anyMatch(p -> p.startsWith("CONFIG_WIRELESS")),
                r.verdict().toString());
        assertTrue(makeLines.stream().anyMatch(l -> l.contains("kernel/sched/ext.o")), "make output is streamed");

        KernelBuilder.Result again = builder(cache).build(new KernelBuilder.Request(tree, Optional.empty(),
                Optional.of(frag), 2, false));
        assertTrue(again.reused());
        assertEquals(r.key(), again.key());
        assertEquals(1, builds(tree));
        builder(cache).build(new KernelBuilder.Request(tree, Optional.empty(), Optional.of(frag), 2, true));
        assertEquals(2, builds(tree), "--force rebuilds");
        assertEquals(1, cache.validEntries().size());
    }

    @Test
    void aDifferentConfigIsADifferentKey() throws Exception {
        Path tree = fakeTree();
        KernelCache cache = new KernelCache(tmp.resolve("cache"));
        String k1 = builder(cache).build(new KernelBuilder.Request(tree, Optional.empty(), Optional.empty(), 1, false))
                .key();
        Path frag = Files.writeString(tmp.resolve("f"), "CONFIG_HZ=100\n");
        String k2 = builder(cache).build(new KernelBuilder.Request(tree, Optional.empty(), Optional.of(frag), 1, false))
                .key();
        assertFalse(k1.equals(k2), k1);
        assertEquals(2, cache.validEntries().size());
    }

    @Test
    void lostRequiredOptionsAreListedAndNothingIsBuilt() throws Exception {
        Path tree = fakeTree();
        Files.writeString(tree.resolve("unsupported"), "CONFIG_DEBUG_INFO_BTF=y\nCONFIG_SCHED_CLASS_EXT=y\n");
        KernelCache cache = new KernelCache(tmp.resolve("cache"));
        KernelException e = assertThrows(KernelException.class, () -> builder(cache).build(
                new KernelBuilder.Request(tree, Optional.empty(), Optional.empty(), 1, false)));
        assertEquals(Kind.CONFIG_REJECTED, e.kind());
        assertTrue(e.getMessage().contains("2 required option(s)"), e.getMessage());
        assertTrue(e.getMessage().contains("CONFIG_DEBUG_INFO_BTF (wanted y, got absent): needs pahole"),
                e.getMessage());
        assertEquals(0, builds(tree));
        assertTrue(cache.validEntries().isEmpty());
    }

    @Test
    void makeFailuresCarryTheOutputTail() throws Exception {
        Path tree = fakeTree();
        Files.writeString(tree.resolve("fail"), "");
        KernelException e = assertThrows(KernelException.class, () -> builder(new KernelCache(tmp.resolve("c")))
                .build(new KernelBuilder.Request(tree, Optional.empty(), Optional.empty(), 1, false)));
        assertEquals(Kind.BUILD_FAILED, e.kind());
        assertTrue(e.getMessage().contains("simulated compiler failure"), e.getMessage());
    }

    @Test
    void separateOutputDirectoryLeavesTheTreeWithoutConfig() throws Exception {
        Path tree = fakeTree();
        Path out = tmp.resolve("out");
        KernelBuilder.Result r = builder(new KernelCache(tmp.resolve("c"))).build(new KernelBuilder.Request(tree,
                Optional.of(out), Optional.empty(), 1, false));
        assertEquals(out.resolve("arch/x86/boot/bzImage"), r.image());
        assertTrue(Files.exists(out.resolve(".config")));
        assertFalse(Files.exists(tree.resolve(".config")));
    }

    @Test
    void dirtyGitTreesAreBuiltButNotCached() throws Exception {
        assumeTrue(ProcessRunner.onPath("git"), "git is needed");
        Path tree = fakeTree();
        git(tree, "init", "-q");
        git(tree, "add", "Makefile", "fixture-bzImage", "unsupported");
        git(tree, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-q", "-m", "fake kernel");
        SourceTree clean = SourceTree.identify(tree);
        assertTrue(clean.identity().startsWith("git-") && clean.identity().length() == 16, clean.identity());
        assertTrue(clean.dirtyReason().isEmpty());
        Files.writeString(tree.resolve("Makefile"), MAKEFILE + "# local edit\n");
        KernelCache cache = new KernelCache(tmp.resolve("cache"));
        KernelBuilder.Result r = builder(cache).build(new KernelBuilder.Request(tree, Optional.empty(),
                Optional.empty(), 1, false));
        assertTrue(r.entry().isEmpty());
        assertTrue(Files.isRegularFile(r.image()));
        assertTrue(cache.validEntries().isEmpty());
    }

    @Test
    void notAKernelTreeIsRefused() {
        KernelException e = assertThrows(KernelException.class, () -> SourceTree.identify(tmp));
        assertTrue(e.getMessage().contains("not a kernel source tree"), e.getMessage());
    }

    /**
     * A real {@code make olddefconfig} of ktstr.kconfig on a linux-source tree ({@code KTSTR_LINUX_SOURCE},
     * or {@code ~/.cache/ktstr/sources/linux-source-*}), built out of tree so the tree is not touched.
     * Every required option must survive; without pahole, BTF (and sched_ext, which needs it) must be
     * reported as lost with the hint.
     */
    @Test
    void realTreeKeepsEveryRequiredOption() throws Exception {
        Optional<Path> src = linuxSource();
        assumeTrue(src.isPresent(), "no linux-source tree: set KTSTR_LINUX_SOURCE or unpack Debian's linux-source-7.x "
                + "into ~/.cache/ktstr/sources/");
        assumeTrue(!Files.exists(src.get().resolve(".config")), src.get() + " has a .config, so make O= refuses it");
        assumeTrue(ProcessRunner.onPath("flex") && ProcessRunner.onPath("bison") && ProcessRunner.onPath("gcc"),
                "building Kconfig needs flex, bison and gcc");
        KernelBuilder b = builder(new KernelCache(tmp.resolve("cache")));
        Path out = tmp.resolve("out");
        try {
            configureRealTree(b, src.get(), out);
        } finally {
            Files.deleteIfExists(out.resolve("source")); // make O= links back to the tree; keep it out of cleanup
        }
    }

    private static void configureRealTree(KernelBuilder b, Path src, Path out) throws Exception {
        if (ProcessRunner.onPath("pahole")) {
            KconfigFragment.Verdict v = b.configure(src, out, KconfigFragment.ktstr());
            assertTrue(v.ok());
            KernelConfig c = KernelConfig.read(out.resolve(".config"));
            assertTrue(c.hasSchedExt() && c.isBuiltIn("DEBUG_INFO_BTF") && c.isBuiltIn("PVH"));
        } else {
            KernelException e = assertThrows(KernelException.class,
                    () -> b.configure(src, out, KconfigFragment.ktstr()));
            assertTrue(e.getMessage().contains("CONFIG_DEBUG_INFO_BTF") && e.getMessage().contains("dwarves"),
                    e.getMessage());
        }
    }

    private static Optional<Path> linuxSource() throws IOException {
        String env = System.getenv("KTSTR_LINUX_SOURCE");
        if (env != null && !env.isBlank()) {
            return Optional.of(Path.of(env));
        }
        Path dir = Path.of(System.getProperty("user.home"), ".cache/ktstr/sources");
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("linux-source-"))
                    .filter(p -> Files.isRegularFile(p.resolve("Makefile"))).sorted().reduce((a, b) -> b);
        }
    }

    private static void git(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        var r = ProcessRunner.run(ProcessRunner.Spec.of(Duration.ofMinutes(1), cmd));
        assertTrue(r.ok(), r.describeFailure());
    }
}

package dev.ktstr.runtime.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.annotations.KtstrTest;
import dev.ktstr.runtime.Ctx;
import dev.ktstr.runtime.Variant;
import org.junit.jupiter.api.Test;

/**
 * Hand-written variants (the processor rejects these at compile time) are refused when the runner
 * reads their annotations, before any VM boots.
 */
class TestDeclarationTest {

    static class Subject {
        @KtstrTest(workersPerCgroup = 0)
        void noWorkers(Ctx ctx) {}

        @KtstrTest(durationS = 0)
        void noTime(Ctx ctx) {}

        @KtstrTest(llcs = 3, numaNodes = 2)
        void badShape(Ctx ctx) {}

        void notATest(Ctx ctx) {}

        @KtstrTest(cores = 3, durationS = 5, workersPerCgroup = 4)
        void fine(Ctx ctx) {}
    }

    private static IllegalArgumentException refused(String method) {
        return assertThrows(IllegalArgumentException.class, () -> TestDeclaration.of(Variant.base(Subject.class, method)));
    }

    @Test
    void badAnnotationValuesAreRefusedWithTheirName() {
        assertEquals(Subject.class.getName() + "#noWorkers: @KtstrTest(workersPerCgroup = 0) must be at least 1",
                refused("noWorkers").getMessage());
        assertEquals(Subject.class.getName() + "#noTime: @KtstrTest(durationS = 0) must be at least 1",
                refused("noTime").getMessage());
        String shape = refused("badShape").getMessage();
        assertTrue(shape.startsWith(Subject.class.getName() + "#badShape: llcs (3) must be a multiple of numaNodes (2)"),
                shape);
        assertEquals(Subject.class.getName() + "#notATest has no @KtstrTest", refused("notATest").getMessage());
    }

    @Test
    void aGoodDeclarationResolvesItsTopologyAndDefaults() {
        TestDeclaration d = TestDeclaration.of(Variant.base(Subject.class, "fine"));
        assertEquals("1n1l3c1t", d.topology().render());
        assertEquals(5, d.duration().toSeconds());
        assertEquals(4, d.workersPerCgroup());
    }
}

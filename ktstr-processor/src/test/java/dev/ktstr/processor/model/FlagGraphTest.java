package dev.ktstr.processor.model;

import static dev.ktstr.processor.model.FlagProfilesTest.flag;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FlagGraphTest {

    @Test
    void findsTheFirstCycleAsAPath() {
        FlagGraph g = new FlagGraph(List.of(flag("a"), flag("b", "c"), flag("c", "d"), flag("d", "b")));
        assertEquals(Optional.of(List.of("b", "c", "d", "b")), g.firstCycle());
    }

    @Test
    void aSelfRequirementIsACycle() {
        assertEquals(Optional.of(List.of("a", "a")), new FlagGraph(List.of(flag("a", "a"))).firstCycle());
    }

    @Test
    void aDiamondIsNotACycle() {
        FlagGraph g = new FlagGraph(List.of(flag("t"), flag("l", "t"), flag("r", "t"), flag("b", "l", "r")));
        assertEquals(Optional.empty(), g.firstCycle());
        assertEquals(Set.of("l", "r", "t"), g.transitiveRequirements("b"));
    }
}

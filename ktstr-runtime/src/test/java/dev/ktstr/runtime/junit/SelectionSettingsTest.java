package dev.ktstr.runtime.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class SelectionSettingsTest {

    private static SelectionSettings from(Map<String, String> props, Map<String, String> env) {
        return SelectionSettings.from(props::get, env::get);
    }

    @Test
    void emptyPropertiesAreUnset() {
        SelectionSettings s = from(Map.of("ktstr.budget.secs", "", "ktstr.shard", " "), Map.of());
        assertFalse(s.active());
    }

    @Test
    void readsPropertiesThenEnvironment() {
        SelectionSettings s = from(Map.of("ktstr.budget.secs", "60"), Map.of("KTSTR_SHARD", "2/3", "KTSTR_BUDGET_SECS", "5"));
        assertEquals(OptionalDouble.of(60), s.budgetSecs());
        assertEquals(new SelectionSettings.Shard(2, 3), s.shard());
    }

    @Test
    void malformedValuesAreErrorsNamingTheProperty() {
        for (String bad : new String[] {"0", "-3", "abc", "NaN", "Infinity"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> from(Map.of("ktstr.budget.secs", bad), Map.of()), bad);
            assertEquals(true, e.getMessage().startsWith("ktstr.budget.secs"), e.getMessage());
        }
        for (String bad : new String[] {"0/3", "4/3", "1", "a/b", "1/0", "1/2/3"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> from(Map.of("ktstr.shard", bad), Map.of()), bad);
            assertEquals(true, e.getMessage().startsWith("ktstr.shard"), e.getMessage());
        }
    }
}

package dev.ktstr.runtime.cli.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ListCommandTest {

    @Test
    void theTableListsEveryScenarioWithItsColumns() {
        CliTestSupport.Result r = CliTestSupport.run(new ListCommand());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("NAME"), r.out());
        assertTrue(r.out().endsWith("81 scenarios\n"), r.out());
        String overflow = r.out().lines().filter(l -> l.startsWith("cgroup_llc_overflow ")).findFirst().orElseThrow();
        assertTrue(overflow.matches("cgroup_llc_overflow +advanced +1 +none +\\+llc \\+steal +Single overloaded cgroup, "
                + "cross-LLC migration"), overflow);
        String llc = r.out().lines().filter(l -> l.startsWith("cgroup_cpuset_llc_steady ")).findFirst().orElseThrow();
        assertTrue(llc.endsWith("2 cgroups, LLC-aligned cpusets, equal load (need >= 2 LLCs)"), llc);
    }

    @Test
    void jsonHasOneObjectPerScenario() throws Exception {
        CliTestSupport.Result r = CliTestSupport.run(new ListCommand(), "--json");
        JsonNode rows = new ObjectMapper().readTree(r.out());
        assertEquals(81, rows.size());
        JsonNode first = rows.get(0);
        assertEquals("cgroup_steady", first.get("name").asText());
        assertEquals("basic", first.get("category").asText());
        assertEquals(2, first.get("numCgroups").asInt());
        assertEquals("none", first.get("cpusetPartition").asText());
    }

    @Test
    void aCategoryFiltersAndAnUnknownOneSuggests() {
        CliTestSupport.Result r = CliTestSupport.run(new ListCommand(), "--category", "stall");
        assertTrue(r.out().endsWith("2 scenarios\n"), r.out());
        CliTestSupport.Result bad = CliTestSupport.run(new ListCommand(), "--category", "stres");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("unknown category 'stres' (did you mean 'stress'?)"), bad.err());
    }
}

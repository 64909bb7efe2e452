package dev.ktstr.runtime.scenario;

import java.util.List;

/**
 * A scenario that cannot run on the given topology, with every problem found. Raised before any
 * request reaches a guest, so bad input never costs a VM boot.
 */
public final class InvalidScenarioException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String scenario;
    private final List<String> problems;

    public InvalidScenarioException(String scenario, List<String> problems) {
        super(render(scenario, problems));
        this.scenario = scenario;
        this.problems = List.copyOf(problems);
    }

    /** The scenario's name. */
    public String scenario() {
        return scenario;
    }

    /** One line per problem, each naming where it is (step, op, cgroup) and what is wrong. */
    public List<String> problems() {
        return problems;
    }

    private static String render(String scenario, List<String> problems) {
        if (problems.size() == 1) {
            return "scenario '" + scenario + "' is invalid: " + problems.get(0);
        }
        return "scenario '" + scenario + "' is invalid (" + problems.size() + " problems):\n  "
                + String.join("\n  ", problems);
    }
}

package dev.caravan.dsl;

import java.util.List;
import java.util.stream.Collectors;

/** A plan file that does not validate. {@link #getMessage()} is every problem, as printed to the user. */
public final class PlanException extends Exception {
    private final transient List<Problem> problems;

    public PlanException(List<Problem> problems) {
        super(problems.stream().map(Problem::format).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, in file order. */
    public List<Problem> problems() {
        return problems;
    }
}

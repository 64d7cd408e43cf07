package org.jodb.doctest;

import java.util.List;

/**
 * The verdict on one example, and the report a reader needs to fix it.
 *
 * @param example the example
 * @param outcome what evaluating it produced ({@code null} for a malformed example, never evaluated)
 * @param verdict passed, or the kind of failure
 */
record ExampleResult(Example example, Outcome outcome, Verdict verdict) {

    enum Verdict {
        PASSED("passed"),
        OUTPUT_DIFFERS("output differs"),
        UNEXPECTED_EXCEPTION("unexpected exception"),
        COMPILE_ERROR("compile error"),
        INCOMPLETE_SNIPPET("incomplete snippet"),
        MALFORMED_TRANSCRIPT("malformed transcript"),
        TIMED_OUT("timed out"),
        NOT_RUN("not run"),
        /** Not run, and no failure: its block is about the file store and the scenarios run on another store. */
        SKIPPED("skipped: file store only");

        private final String description;

        Verdict(String description) {
            this.description = description;
        }

        String description() {
            return description;
        }
    }

    static ExampleResult judge(Example example, Outcome outcome) {
        return new ExampleResult(example, outcome, verdictOf(example, outcome));
    }

    static ExampleResult skipped(Example example) {
        return new ExampleResult(example, null, Verdict.SKIPPED);
    }

    static ExampleResult malformed(Example example) {
        return new ExampleResult(example, null, Verdict.MALFORMED_TRANSCRIPT);
    }

    private static Verdict verdictOf(Example example, Outcome outcome) {
        switch (outcome.kind()) {
            case COMPILE_ERROR:
                return Verdict.COMPILE_ERROR;
            case INCOMPLETE:
                return Verdict.INCOMPLETE_SNIPPET;
            case TIMED_OUT:
                return Verdict.TIMED_OUT;
            case NOT_RUN:
                return Verdict.NOT_RUN;
            default:
                break;
        }
        if (OutputMatcher.matches(example.expected(), outcome.output())) {
            return Verdict.PASSED;
        }
        return outcome.kind() == Outcome.Kind.EXCEPTION ? Verdict.UNEXPECTED_EXCEPTION : Verdict.OUTPUT_DIFFERS;
    }

    /** Whether it ran and passed; a skipped example did neither. */
    boolean passed() {
        return verdict == Verdict.PASSED;
    }

    boolean skipped() {
        return verdict == Verdict.SKIPPED;
    }

    /** Whether it counts against its file: neither passed nor skipped. */
    boolean failed() {
        return !passed() && !skipped();
    }

    /**
     * The failure report: {@code file:line: kind}, the snippet with its prompts, then the expected and
     * actual output and, when either spans several lines, a line diff.
     */
    String report() {
        StringBuilder out = new StringBuilder();
        out.append(example.location()).append(": ").append(verdict.description()).append('\n');
        if (verdict == Verdict.MALFORMED_TRANSCRIPT) {
            out.append(indent(example.source())).append(indent(example.malformation()));
            return out.toString();
        }
        out.append(indent(example.transcript()));
        String expected = OutputMatcher.normalize(example.expected());
        String actual = OutputMatcher.normalize(outcome.output());
        out.append("Expected:\n").append(expected.isEmpty() ? "    (nothing)\n" : indent(expected));
        out.append("Actual:\n").append(actual.isEmpty() ? "    (nothing)\n" : indent(actual));
        boolean multiLine = expected.contains("\n") || actual.contains("\n");
        if (multiLine && verdict != Verdict.COMPILE_ERROR && verdict != Verdict.INCOMPLETE_SNIPPET) {
            out.append("Diff (- expected, + actual):\n");
            for (String line : LineDiff.of(List.of(expected.split("\n", -1)), List.of(actual.split("\n", -1)))) {
                out.append("    ").append(line).append('\n');
            }
        }
        return out.toString();
    }

    private static String indent(String text) {
        StringBuilder out = new StringBuilder();
        text.lines().forEach(line -> out.append("    ").append(line).append('\n'));
        return out.toString();
    }
}

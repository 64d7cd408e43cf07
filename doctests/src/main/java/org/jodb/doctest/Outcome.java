package org.jodb.doctest;

import java.util.List;
import jdk.jshell.Snippet;

/**
 * What evaluating one snippet produced.
 *
 * @param kind how the evaluation ended
 * @param output the rendered output to compare with the expected output: what the snippet printed,
 *     its value, or its exception line (for {@code COMPILE_ERROR}, {@code INCOMPLETE} and
 *     {@code NOT_RUN}, an explanation instead)
 * @param unresolved declarations of the snippet that still use names not declared yet (legal in
 *     JShell, as long as a later snippet declares them: see {@link ScenarioShell#unresolvedProblem})
 */
record Outcome(Kind kind, String output, List<Snippet> unresolved) {

    Outcome(Kind kind, String output) {
        this(kind, output, List.of());
    }

    enum Kind {
        /** Ran to the end; {@code output} is what it printed plus its value, if shown. */
        COMPLETED,
        /** Threw; {@code output} ends with {@code Exception <class>: <message>}. */
        EXCEPTION,
        /** JShell rejected the code or left names unresolved: always a failure. */
        COMPILE_ERROR,
        /** The snippet's source ends in the middle of a statement or declaration: always a failure. */
        INCOMPLETE,
        /** The snippet ran past the timeout; the session cannot continue. */
        TIMED_OUT,
        /** Not evaluated, because an earlier snippet of the file never finished. */
        NOT_RUN
    }
}

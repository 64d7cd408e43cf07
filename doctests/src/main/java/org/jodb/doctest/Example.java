package org.jodb.doctest;

import java.nio.file.Path;

/**
 * One {@code jshell>} snippet of a scenario and the output the scenario expects from it.
 *
 * @param file the markdown file it comes from
 * @param line the 1-based line of its {@code jshell> } prompt (or of the malformed text)
 * @param source the snippet's Java source, prompts removed, lines joined with {@code \n}
 * @param expected the expected output as written (may be empty)
 * @param malformation why the transcript around this line cannot be read, or {@code null} when it can;
 *     a malformed example is never evaluated and always fails
 * @param fileStoreOnly whether its block is tagged {@value ScenarioParser#FILE_STORE_ONLY}: it is about the
 *     file store itself and is skipped when the scenarios run on another store
 */
record Example(Path file, int line, String source, String expected, String malformation, boolean fileStoreOnly) {

    static Example snippet(Path file, int line, String source, String expected) {
        return new Example(file, line, source, expected, null, false);
    }

    static Example malformed(Path file, int line, String text, String why) {
        return new Example(file, line, text, "", why, false);
    }

    /** This example, marked as being about the file store only. */
    Example onlyOnTheFileStore() {
        return new Example(file, line, source, expected, malformation, true);
    }

    boolean isMalformed() {
        return malformation != null;
    }

    /** {@code file:line}, the way compilers and IDEs name a place. */
    String location() {
        return file + ":" + line;
    }

    /** The snippet as the scenario shows it, with its prompts. */
    String transcript() {
        if (isMalformed()) {
            return source;
        }
        StringBuilder out = new StringBuilder();
        String[] lines = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            out.append(i == 0 ? Transcript.PROMPT : Transcript.CONTINUATION).append(lines[i]).append('\n');
        }
        return out.toString().stripTrailing();
    }

    /** The first line of the snippet, for test names and verbose listings. */
    String title() {
        String first = source.lines().findFirst().orElse("").strip();
        boolean more = source.indexOf('\n') >= 0;
        return first + (more ? " ..." : "");
    }
}

package org.jodb.doctest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the lines of one {@code jshell} code block into examples.
 *
 * <p>A line starting {@code "jshell> "} begins a snippet; the lines right after it that start
 * {@code "   ...> "} continue it; every other line up to the next prompt (or the end of the block)
 * is the snippet's expected output. A prompt whose rest of line is empty may lose its trailing space
 * (editors strip it). Text before the first prompt that is not blank, and a continuation line that
 * does not directly follow a prompt or another continuation, make the transcript malformed: each is
 * reported as a failing example, and the lines up to the next prompt are skipped.
 */
final class Transcript {

    static final String PROMPT = "jshell> ";
    static final String CONTINUATION = "   ...> ";

    private Transcript() {
    }

    /**
     * @param file the scenario file, for reporting
     * @param firstLine the 1-based file line of {@code lines.get(0)}
     * @param lines the block's content lines, fences excluded
     */
    static List<Example> read(Path file, int firstLine, List<String> lines) {
        List<Example> examples = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            if (isPrompt(line)) {
                int start = i;
                StringBuilder source = new StringBuilder(afterPrompt(line, PROMPT));
                i++;
                while (i < lines.size() && isContinuation(lines.get(i))) {
                    source.append('\n').append(afterPrompt(lines.get(i), CONTINUATION));
                    i++;
                }
                StringBuilder expected = new StringBuilder();
                int strayAt = -1;
                while (i < lines.size() && !isPrompt(lines.get(i))) {
                    if (isContinuation(lines.get(i)) && strayAt < 0) {
                        strayAt = i;
                    }
                    if (strayAt < 0) {
                        expected.append(lines.get(i)).append('\n');
                    }
                    i++;
                }
                examples.add(Example.snippet(file, firstLine + start, source.toString(), expected.toString()));
                if (strayAt >= 0) {
                    examples.add(Example.malformed(file, firstLine + strayAt, lines.get(strayAt),
                            "a continuation line ('" + CONTINUATION.strip() + "') that does not follow a '"
                                    + PROMPT.strip() + "' line or another continuation; join it to its snippet"
                                    + " or remove the prompt"));
                }
            } else if (line.isBlank()) {
                i++;
            } else {
                int start = i;
                while (i < lines.size() && !isPrompt(lines.get(i))) {
                    i++;
                }
                String why = isContinuation(line)
                        ? "a continuation line ('" + CONTINUATION.strip() + "') with no '" + PROMPT.strip()
                                + "' line before it; start the snippet with '" + PROMPT + "'"
                        : "text before the first '" + PROMPT.strip() + "' prompt of the block; every snippet"
                                + " starts with '" + PROMPT + "' (output belongs after its snippet)";
                examples.add(Example.malformed(file, firstLine + start, line, why));
            }
        }
        return examples;
    }

    private static boolean isPrompt(String line) {
        return line.startsWith(PROMPT) || line.equals(PROMPT.stripTrailing());
    }

    private static boolean isContinuation(String line) {
        return line.startsWith(CONTINUATION) || line.equals(CONTINUATION.stripTrailing());
    }

    private static String afterPrompt(String line, String prompt) {
        return line.length() <= prompt.length() ? "" : line.substring(prompt.length());
    }
}

package org.jodb.doctest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Node;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;

/**
 * Finds the {@code jshell} code blocks of a markdown file (with commonmark, so fences inside lists,
 * block quotes and other code blocks are understood as markdown understands them) and reads each
 * with {@link Transcript}. A block counts when the first word of its info string is {@code jshell}.
 */
final class ScenarioParser {

    static final String INFO = "jshell";

    private static final Parser PARSER = Parser.builder().includeSourceSpans(IncludeSourceSpans.BLOCKS).build();

    private ScenarioParser() {
    }

    static List<Example> parse(Path file) {
        try {
            return parse(file, Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read scenario " + file + ": " + e.getMessage(), e);
        }
    }

    static List<Example> parse(Path file, String markdown) {
        Node document = PARSER.parse(markdown);
        List<Example> examples = new ArrayList<>();
        document.accept(new AbstractVisitor() {
            @Override
            public void visit(FencedCodeBlock block) {
                if (isJshell(block)) {
                    examples.addAll(read(file, block));
                }
            }
        });
        return examples;
    }

    private static boolean isJshell(FencedCodeBlock block) {
        String info = block.getInfo() == null ? "" : block.getInfo().strip();
        return info.split("\\s+", 2)[0].equals(INFO);
    }

    private static List<Example> read(Path file, FencedCodeBlock block) {
        // Source spans hold one span per source line of the block; the first is the opening fence.
        int fenceLine = block.getSourceSpans().get(0).getLineIndex() + 1;
        if (block.getClosingFenceLength() == null) {
            return List.of(Example.malformed(file, fenceLine, "```" + block.getInfo(),
                    "the '" + INFO + "' code block opened here is never closed; add a closing fence"
                            + " (it ran to the end of the file, so none of its snippets were run)"));
        }
        String literal = block.getLiteral();
        List<String> lines = literal.isEmpty()
                ? List.of()
                : Arrays.asList(literal.substring(0, literal.length() - (literal.endsWith("\n") ? 1 : 0))
                        .split("\n", -1));
        return Transcript.read(file, fenceLine + 1, lines);
    }
}

package org.jodb.doctest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
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
 * with {@link Transcript}. A block counts when the first word of its info string is {@code jshell}. Among
 * the words after it, {@value #FILE_STORE_ONLY} marks a block about the file store itself, skipped when the
 * scenarios run on PostgreSQL; other words (a title, say) mean nothing to the runner. (A misspelt tag is
 * not silent for long: the block then runs on PostgreSQL and fails there.)
 */
final class ScenarioParser {

    static final String INFO = "jshell";

    /** The tag of a block whose examples are about the file store itself (its files, its lock, its tools). */
    static final String FILE_STORE_ONLY = "file-store-only";

    private static final Parser PARSER = Parser.builder().includeSourceSpans(IncludeSourceSpans.BLOCKS).build();

    private ScenarioParser() {
    }

    /**
     * The examples of a file. A file that cannot be read, or is not UTF-8 text, gives one malformed
     * example (at the line of its first undecodable byte): a failure of that file alone, so the runner
     * goes on with the next file.
     */
    static List<Example> parse(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return List.of(Example.malformed(file, 1, "(the whole file)",
                    "cannot read the file: " + e + "; check that it exists and is readable"));
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer input = ByteBuffer.wrap(bytes);
        CharBuffer text = CharBuffer.allocate(bytes.length);
        CoderResult result = utf8.decode(input, text, true);
        if (result.isError()) {
            int line = 1;
            for (int i = 0; i < input.position(); i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            return List.of(Example.malformed(file, line, String.format("(byte 0x%02X at offset %d)",
                    bytes[input.position()] & 0xff, input.position()),
                    "the file is not UTF-8 text; save it as UTF-8 (none of its snippets were run)"));
        }
        String markdown = text.flip().toString();
        // Some editors start UTF-8 files with a byte order mark; left in, it would hide a fence on line 1.
        return parse(file, markdown.startsWith("\uFEFF") ? markdown.substring(1) : markdown);
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
        return infoWords(block).get(0).equals(INFO);
    }

    private static List<String> infoWords(FencedCodeBlock block) {
        String info = block.getInfo() == null ? "" : block.getInfo().strip();
        return Arrays.asList(info.split("\\s+"));
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
        List<Example> examples = new ArrayList<>(Transcript.read(file, fenceLine + 1, lines));
        if (infoWords(block).contains(FILE_STORE_ONLY)) {
            examples.replaceAll(example -> example.isMalformed() ? example : example.onlyOnTheFileStore());
        }
        return examples;
    }
}

package org.jodb.doctest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EscapingPrintStreamTest {

    @Test
    void charactersTheCharsetCannotEncodeAreEscapedNotReplacedByQuestionMarks() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        EscapingPrintStream out = new EscapingPrintStream(bytes, StandardCharsets.US_ASCII);

        out.println("Expected: \"caf\u00e9 \u2713 \uD83D\uDE00\"");
        out.print("plain");

        assertEquals("Expected: \"caf\\u00e9 \\u2713 \\ud83d\\ude00\"" + System.lineSeparator() + "plain",
                bytes.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void aCharsetThatEncodesEverythingPrintsTheTextAsItIs() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        EscapingPrintStream out = new EscapingPrintStream(bytes, StandardCharsets.UTF_8);

        out.print("caf\u00e9 \u2713");

        assertEquals("caf\u00e9 \u2713", bytes.toString(StandardCharsets.UTF_8));
    }
}

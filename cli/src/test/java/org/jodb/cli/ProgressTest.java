package org.jodb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void theBarShowsTheShareDoneTheRateAndTheTimeLeft() {
        Progress p = new Progress(new PrintWriter(new StringWriter()), () -> 0);
        p.begin("reading the log", 4L << 20, "bytes");
        // half of 4 MiB in 2 s: 1 MiB/s, 2 s left
        assertEquals("reading the log [###############               ]  50% 1.0 MiB/s, 0m02s left ",
                p.line(2L << 20, 2_000_000_000L));
        p.begin("checking references", 1000, "records");
        assertEquals("checking references [###                           ]  10% 50 records/s, 0m18s left ",
                p.line(100, 2_000_000_000L));
    }

    @Test
    void itDrawsOnItsLineAtMostTenTimesASecondAndClearsItWhenDone() {
        StringWriter text = new StringWriter();
        AtomicLong now = new AtomicLong();
        Progress p = new Progress(new PrintWriter(text), now::get);
        p.begin("counting objects", 10, "objects");
        now.set(50_000_000L);
        p.at(1);
        assertEquals("", text.toString(), "not redrawn within 100 ms of the start");
        now.set(200_000_000L);
        p.at(2);
        assertTrue(text.toString().startsWith("\rcounting objects [######"), text::toString);
        p.done();
        assertTrue(text.toString().endsWith("\r") && text.toString().lastIndexOf('\r') > 1, text::toString);
    }

    @Test
    void withoutATerminalNothingIsShown() {
        // under the build's test runner the output is never a terminal
        assertTrue(!Progress.isTerminal());
        assertSame(Progress.NONE, Progress.onTerminal(new PrintWriter(new StringWriter())));
    }
}

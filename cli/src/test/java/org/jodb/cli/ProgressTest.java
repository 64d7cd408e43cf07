package org.jodb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;

import org.jodb.spi.CopyProgress;
import org.jodb.spi.CopyProgress.Phase;
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

    @Test
    void workMeasuredOtherwiseThanInUnitsShowsItsShareAndTheUnitsRate() {
        Progress p = new Progress(new PrintWriter(new StringWriter()), () -> 0);
        p.begin("copying", 1, "transactions");
        // a quarter of the way after 3 s with 600 transactions: 200 a second, 9 s left
        assertEquals("copying [#######                       ]  25% 200 transactions/s, 0m09s left ",
                p.line(0.25, 600, 3_000_000_000L));
        assertTrue(p.line(0.0, 1, 1_000_000_000L).endsWith("  0% 1 transactions/s, ? left "));
    }

    @Test
    void aCopysBarShowsEachPhaseByTheShareOfItsTidRange() {
        StringWriter text = new StringWriter();
        AtomicLong now = new AtomicLong();
        CopyBar bar = new CopyBar(new Progress(new PrintWriter(text), now::get));
        bar.progress(new CopyProgress(Phase.COPY, 1000, 2000, 1, 5, 500));
        now.set(1_000_000_000L);
        bar.progress(new CopyProgress(Phase.COPY, 1500, 2000, 40, 200, 9000));
        assertTrue(text.toString().endsWith("\rcopying [###############               ]  50% 40 transactions/s, 0m01s left "),
                text::toString);
        now.set(2_000_000_000L);
        bar.progress(new CopyProgress(Phase.VERIFY, 1000, 2000, 1, 5, 500));
        now.set(3_000_000_000L);
        bar.progress(new CopyProgress(Phase.VERIFY, 2000, 2000, 80, 400, 9000));
        assertTrue(text.toString().endsWith("\rverifying the copy [##############################] 100% 80 transactions/s,"
                + " 0m00s left "), text::toString);
        bar.done();
        assertTrue(text.toString().endsWith("\r"), text::toString);
        assertEquals(0.25, CopyBar.fraction(1250, 1000, 2000));
        assertEquals(1.0, CopyBar.fraction(7, 7, 7), "a phase of one transaction is done at once");
    }
}

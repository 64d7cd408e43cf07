package org.jodb.doctest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LineDiffTest {

    @Test
    void marksLinesOnlyInOneSide() {
        assertEquals(List.of("  a", "+ x", "- b", "  c", "- d"),
                LineDiff.of(List.of("a", "b", "c", "d"), List.of("a", "x", "c")));
    }

    @Test
    void equalSidesAreAllCommon() {
        assertEquals(List.of("  a", "  b"), LineDiff.of(List.of("a", "b"), List.of("a", "b")));
    }
}

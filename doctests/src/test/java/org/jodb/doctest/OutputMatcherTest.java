package org.jodb.doctest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OutputMatcherTest {

    @Test
    void exactTextMatchesIgnoringTrailingWhitespaceAndBlankLines() {
        assertTrue(OutputMatcher.matches("a\nb\n", "a  \nb\n\n\n"));
        assertTrue(OutputMatcher.matches("a\r\nb", "a\nb"));
        assertTrue(OutputMatcher.matches("", "\n"));
        assertFalse(OutputMatcher.matches("a\nb", "a\n\nb"));
        assertFalse(OutputMatcher.matches(" a", "a"), "leading whitespace counts");
        assertFalse(OutputMatcher.matches("", "something"));
    }

    @Test
    void wildcardMatchesAnyTextIncludingLineBreaks() {
        assertTrue(OutputMatcher.matches("...", ""));
        assertTrue(OutputMatcher.matches("...", "anything\nat all"));
        assertTrue(OutputMatcher.matches("start ... end", "start middle\nmore end"));
        assertTrue(OutputMatcher.matches("a...b...c", "a1b2c"));
        assertTrue(OutputMatcher.matches("a...b...c", "abc"));
        assertFalse(OutputMatcher.matches("a...b...c", "a1c2b"));
        assertFalse(OutputMatcher.matches("ab...ba", "aba"), "prefix and suffix may not overlap");
        assertFalse(OutputMatcher.matches("x...", "yx"));
    }

    @Test
    void normalizeKeepsInnerBlankLines() {
        assertEquals("a\n\nb", OutputMatcher.normalize("a \n\t\nb\n\n"));
    }
}

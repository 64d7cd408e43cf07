package org.jodb.doctest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TranscriptTest {

    private static final Path FILE = Path.of("t.md");

    @Test
    void snippetsContinuationsAndOutputs() {
        List<Example> examples = ScenarioParser.parse(FILE, String.join("\n",
                "Intro",
                "",
                "```jshell",
                "jshell> class A {",
                "   ...>",
                "   ...>     int x;",
                "   ...> }",
                "",
                "jshell> new A().x",
                "0",
                "jshell>",
                "```",
                "",
                "- in a list:",
                "",
                "  ```jshell title",
                "  jshell> 1",
                "  1",
                "  ```",
                "",
                "```java",
                "jshell> not a scenario block",
                "```",
                ""));

        assertEquals(4, examples.size());
        assertEquals(Example.snippet(FILE, 4, "class A {\n\n    int x;\n}", "\n"), examples.get(0));
        assertEquals(Example.snippet(FILE, 9, "new A().x", "0\n"), examples.get(1));
        assertEquals(Example.snippet(FILE, 11, "", ""), examples.get(2));
        assertEquals(Example.snippet(FILE, 17, "1", "1\n"), examples.get(3));
    }

    @Test
    void strayContinuationAndUnclosedBlockAreMalformed() {
        List<Example> examples = ScenarioParser.parse(FILE, String.join("\n",
                "```jshell",
                "jshell> 1",
                "1",
                "   ...> 2",
                "```",
                "",
                "```jshell",
                "jshell> 3",
                ""));

        assertEquals(3, examples.size());
        assertFalse(examples.get(0).isMalformed());
        assertEquals("1\n", examples.get(0).expected(), "output stops at the stray continuation");
        assertTrue(examples.get(1).isMalformed());
        assertEquals(4, examples.get(1).line());
        assertTrue(examples.get(2).isMalformed());
        assertEquals(7, examples.get(2).line());
    }

    @Test
    void transcriptShowsPrompts() {
        assertEquals("jshell> a\n   ...> b", Example.snippet(FILE, 1, "a\nb", "").transcript());
    }
}

package org.jodb.storage.internal.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * A failure to create an index file gets the remedy of its cause: the run-time compiler missing a class
 * (as under {@code mvn exec:java} on JDK 25, where Chronicle Map wraps javac's {@code CompletionFailure} in
 * a {@code RuntimeException}) is not a disk problem.
 */
class IndexCreationFailureTest {

    /** What Chronicle Map threw under mvn exec:java on JDK 25: javac's failure, wrapped. */
    private static RuntimeException compilerMissedAClass() {
        RuntimeException javac = new RuntimeException("class file for org.jetbrains.annotations.NotNull not found");
        return new RuntimeException("com.sun.tools.javac.code.Symbol$CompletionFailure: " + javac.getMessage(),
                javac);
    }

    @Test
    void aClassTheRunTimeCompilerMissedIsNamedWithTheClassPathRemedy() {
        String m = IndexCreationFailure.message("/data/index-00000001.cm", compilerMissedAClass());
        assertTrue(m.startsWith("cannot create the oid index /data/index-00000001.cm: Chronicle Map compiles code"
                + " at run time, and the JDK's compiler did not find org.jetbrains.annotations.NotNull."), m);
        assertTrue(m.contains("mvn exec:java") && m.contains("mvn exec:exec") && m.contains("java.class.path"), m);
        assertFalse(m.contains("disk"), "no disk advice for a class path problem: " + m);
    }

    @Test
    void aFailureOfTheDiskKeepsTheDiskRemedy() {
        IOException full = new IOException("No space left on device");
        assertNull(IndexCreationFailure.compilerProblem(full));
        assertEquals("cannot create the oid index f: java.io.IOException: No space left on device. Free disk"
                + " space or lower StorageOptions.indexCapacity.", IndexCreationFailure.message("f", full));
    }

    @Test
    void theMissingClassIsFoundAnywhereInTheCauses() {
        assertEquals("did not find org.jetbrains.annotations.NotNull",
                IndexCreationFailure.compilerProblem(new IllegalStateException(compilerMissedAClass())));
    }
}

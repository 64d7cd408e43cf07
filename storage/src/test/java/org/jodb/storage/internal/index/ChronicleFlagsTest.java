package org.jodb.storage.internal.index;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The refusal for missing flags names what to start Java with, on JDK 24 and later with the two more. */
class ChronicleFlagsTest {
    private static final List<String> MISSING = List.of(ChronicleFlags.REQUIRED.get(0));

    @Test
    void onJdk17TheRemedyIsTheFourFlagsOnly() {
        String m = ChronicleFlags.message(MISSING, 17);
        assertTrue(m.contains("(missing: " + ChronicleFlags.REQUIRED.get(0) + ")"), m);
        assertTrue(m.contains("Start java with: " + String.join(" ", ChronicleFlags.REQUIRED) + " (and a full JDK"), m);
        assertFalse(m.contains("sun-misc-unsafe-memory-access"), "JDK 17 refuses that option: " + m);
    }

    @Test
    void onJdk25TheRemedyAddsWhatKeepsTheJvmFromWarning() {
        String m = ChronicleFlags.message(MISSING, 25);
        assertTrue(m.contains("Start java with: " + String.join(" ", ChronicleFlags.REQUIRED) + " "
                + String.join(" ", ChronicleFlags.JDK24) + " (the last two keep JDK 25 from warning"), m);
    }
}

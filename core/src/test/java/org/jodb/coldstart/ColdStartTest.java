package org.jodb.coldstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The cold start of a server under load: {@value ColdStartChild#THREADS} threads, each with its own
 * transaction manager and connection, meet a class none of them has used at the same moment, on each path
 * that makes its proxy class or resolves its name (see {@link ColdStartChild.Path}). Each path runs in a
 * fresh child JVM, {@code -Djodb.coldstart.rounds=N} rounds of it (default 40), each round with a new copy
 * of the class. Before proxy classes were made once per class, 37 or 38 of 40 rounds of every path failed
 * with "Class already loaded"; after that, the commit path still failed now and then (3 of 40 rounds) with a
 * ConflictException, when a merge met a class entry another thread had just committed (see
 * {@link MergeRightAfterFinishTest}).
 */
class ColdStartTest {
    private static final int ROUNDS = Integer.getInteger("jodb.coldstart.rounds", 40);

    @ParameterizedTest
    @EnumSource(ColdStartChild.Path.class)
    void everyThreadGetsTheOneProxyClassOnItsFirstUse(ColdStartChild.Path path) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", classpath, ColdStartChild.class.getName(),
                path.name(), Integer.toString(ROUNDS)).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(2, TimeUnit.MINUTES), "the child did not end: " + output);
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("PATH " + path + " ROUNDS " + ROUNDS + " FAILED 0"), output);
    }
}

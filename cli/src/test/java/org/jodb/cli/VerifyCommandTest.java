package org.jodb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.jodb.Database;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.jodb.spi.ConflictResolver;
import org.jodb.storage.MappedFileStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyCommandTest {
    @TempDir
    Path dir;

    @Test
    void aSoundStorePassesWithExitStatusZero() {
        Stores.bank(dir);
        Run run = Run.of("verify", dir.toString());
        assertEquals(Jodb.OK, run.status(), run::toString);
        assertTrue(run.out().contains("3 transactions") && run.out().endsWith("no problems\n"), run::toString);
    }

    @Test
    void anEmptyStorePasses() {
        Database.open(dir).close();
        Run run = Run.of("verify", dir.toString());
        assertEquals(Jodb.OK, run.status(), run::toString);
        assertTrue(run.out().contains("no problems"), run::toString);
    }

    @Test
    void aFlippedByteInARecordIsNamedWithFileOffsetAndTid() throws IOException {
        Stores.Bank bank = Stores.bank(dir);
        Stores.flipByteOf(dir, "Alice Lidd");
        Run run = Run.of("verify", dir.toString());
        assertEquals(Jodb.DAMAGED, run.status(), run::toString);
        assertTrue(run.out().contains("PROBLEM " + Stores.segment(dir) + " offset "), run::toString);
        assertTrue(run.out().contains("transaction record damaged: CRC32C mismatch") && run.out().contains("(tid 0x"),
                run::toString);
        assertTrue(run.out().matches("(?s).*PROBLEM " + java.util.regex.Pattern.quote(Stores.segment(dir).toString())
                + " offset \\d+: oid " + bank.personOid() + ", tid 0x\\p{XDigit}{16}: its data record does not match"
                + " its CRC32C.*"), run::toString);
        assertTrue(run.out().endsWith(": 2 problems\n"), run::toString);
    }

    @Test
    void aDanglingReferenceIsNamedWithTheOidsOnBothEnds() {
        Stores.bank(dir);
        long writer;
        try (MappedFileStorage storage = MappedFileStorage.open(dir)) {
            writer = storage.newOid();
            StorageTransaction t = storage.tpcBegin(new TransactionMetadata("mallory", "dangling"), ConflictResolver.NONE);
            // an object record (kind 1) listing one reference, oid 100, which no transaction wrote; class id 0
            t.store(writer, Storage.NO_TID, new byte[] {1, 1, 100, 0});
            t.vote();
            t.finish();
        }
        Run run = Run.of("verify", dir.toString());
        assertEquals(Jodb.DAMAGED, run.status(), run::toString);
        assertTrue(run.out().contains("oid " + writer + ", tid 0x"), run::toString);
        assertTrue(run.out().contains("refers to oid 100, which no transaction wrote"), run::toString);
    }

    @Test
    void aMissingIndexIsAProblemWhoseRemedyIsToOpenTheStore() throws IOException {
        Stores.bank(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.getFileName().toString().endsWith(".cm")) {
                    Files.delete(f);
                }
            }
        }
        Run run = Run.of("verify", dir.toString());
        assertEquals(Jodb.DAMAGED, run.status(), run::toString);
        assertTrue(run.out().contains("is missing") && run.out().contains("jodb rebuilds it; nothing is lost"), run::toString);
    }

    @Test
    void aDamagedIndexIsAProblem() throws IOException {
        Stores.bank(dir);
        Path index = dir.resolve("index-00000001.cm");
        byte[] bytes = Files.readAllBytes(index);
        bytes[100] ^= 0x10; // inside Chronicle Map's header, which index.meta fingerprints
        Files.write(index, bytes);
        Run run = Run.of("verify", dir.toString());
        assertEquals(Jodb.DAMAGED, run.status(), run::toString);
        assertTrue(run.out().contains(index + " cannot be read as the oid index"), run::toString);
    }

    @Test
    void verifyChangesNothing() throws IOException {
        Stores.bank(dir);
        Stores.flipByteOf(dir, "Alice Lidd");
        byte[] before = Files.readAllBytes(Stores.segment(dir));
        byte[] metaBefore = Files.readAllBytes(dir.resolve("index.meta"));
        Run.of("verify", dir.toString());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(Stores.segment(dir))));
        assertTrue(java.util.Arrays.equals(metaBefore, Files.readAllBytes(dir.resolve("index.meta"))));
    }

    @Test
    void aStoreThatIsOpenIsRefusedWithTheReason() {
        Stores.bank(dir);
        try (Database db = Database.open(dir)) {
            Run run = Run.of("verify", dir.toString());
            assertEquals(Jodb.FAILED, run.status(), run::toString);
            assertTrue(run.err().contains("another process has the store " + dir + " open"), run::toString);
            assertTrue(run.err().contains("Close the store in that process"), run::toString);
        }
    }
}

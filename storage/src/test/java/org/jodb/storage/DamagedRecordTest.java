package org.jodb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.Consumer;

import org.jodb.Account;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.Persistence;
import org.jodb.spi.ConflictResolver;
import org.jodb.spi.CorruptStorageException;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.jodb.storage.internal.log.LogPosition;
import org.jodb.storage.internal.log.LogLayout;
import org.jodb.storage.internal.log.Segment;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Damaged bytes inside a cleanly closed store, whose index is trusted without reading the log: every read
 * of the damaged record (load, loadAt, history, pack, a ghost loaded through a Connection) fails with a
 * CorruptStorageException naming the file and the offset, never with a raw runtime exception or wrong
 * bytes, and the store stays usable for everything else.
 */
class DamagedRecordTest {

    private static final long A = 1;
    private static final long B = 2;

    @TempDir
    Path dir;

    /** Position of A's first (older) and second (newest) revision, and B's. */
    private long aOld;
    private long aNew;
    private long tidOld;

    private static StorageOptions options() {
        return StorageOptions.builder().indexCapacity(1_000).build();
    }

    private static long commit(Storage s, long[] oids, long[] serials, byte[]... data) {
        StorageTransaction txn = s.tpcBegin(new TransactionMetadata("tester", "note"), ConflictResolver.NONE);
        for (int i = 0; i < oids.length; i++) {
            txn.store(oids[i], serials[i], data[i]);
        }
        txn.vote();
        return txn.finish();
    }

    /** Root and B in one transaction, A in a second, A again in a third. Closed cleanly. */
    private void makeStore(int aBytes) {
        try (MappedFileStorage s = MappedFileStorage.open(dir, options())) {
            assertEquals(A, s.newOid());
            assertEquals(B, s.newOid());
            commit(s, new long[]{Storage.ROOT_OID, B}, new long[2], "root".getBytes(), "bravo".getBytes());
            tidOld = commit(s, new long[]{A}, new long[1], filled(aBytes, 'a'));
            aOld = s.hooks().index().get(A).position();
            commit(s, new long[]{A}, new long[]{tidOld}, filled(aBytes, 'A'));
            aNew = s.hooks().index().get(A).position();
        }
    }

    private static byte[] filled(int n, char c) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) c);
        return b;
    }

    private void damage(long position, int field, Consumer<ByteBuffer> change, int size) throws IOException {
        Path file = dir.resolve(Segment.fileName(LogPosition.segment(position)));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            int at = LogPosition.offset(position) + field;
            ByteBuffer b = ByteBuffer.allocate(size);
            ch.read(b, at);
            b.flip();
            change.accept(b);
            b.rewind();
            ch.write(b, at);
        }
    }

    private static void assertNamesPlace(CorruptStorageException e, long position) {
        String m = e.getMessage();
        assertTrue(m.contains(Segment.fileName(LogPosition.segment(position))) && m.contains("offset ")
                && m.contains("Restore the store from a backup"), m);
    }

    /** What must hold after any damage to A: B loads, commits still work, and A fails the same way again. */
    private void assertStillUsable(MappedFileStorage s) {
        assertArrayEquals("bravo".getBytes(), s.load(B).data());
        long t = commit(s, new long[]{B}, new long[]{s.load(B).tid()}, "bravo 2".getBytes());
        assertEquals(t, s.load(B).tid());
        assertThrows(CorruptStorageException.class, () -> s.load(A));
    }

    // data record fields (FORMAT.md 3.3): oid 0, tid 8, prev 16, txnOffset 24, length 28, crc 32, data 36
    @ParameterizedTest(name = "damaged field at +{0}")
    @ValueSource(ints = {0, 8, 16, 24, 28, 32, 36, 50})
    void aDamagedFieldOfTheNewestRevisionFailsLoadClearly(int field) throws IOException {
        makeStore(20);
        int size = field == 24 || field == 28 || field == 32 ? 4 : field >= 36 ? 1 : 8;
        damage(aNew, field, b -> {
            if (field == 16) {
                b.putLong(0, aNew + 1); // a "previous" revision after this one
            } else if (field == 28) {
                b.putInt(0, b.getInt(0) + 1); // one byte more: runs into the trailer
            } else {
                b.put(size - 1, (byte) (b.get(size - 1) ^ 0x40));
            }
        }, size);
        try (MappedFileStorage s = MappedFileStorage.open(dir, options())) {
            assertTrue(s.openedFromIndex(), "the index is trusted: the log is not scanned at open");
            CorruptStorageException e = assertThrows(CorruptStorageException.class, () -> s.load(A));
            assertNamesPlace(e, aNew);
            assertThrows(CorruptStorageException.class, () -> s.loadAt(A, tidOld));
            assertThrows(CorruptStorageException.class, () -> s.history(A, 10));
            assertStillUsable(s);
        }
    }

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {-1, Integer.MAX_VALUE, 1 << 20})
    void aLengthOutOfRangeIsNotAnIndexOutOfBounds(int length) throws IOException {
        makeStore(20);
        damage(aNew, 28, b -> b.putInt(0, length), 4);
        try (MappedFileStorage s = MappedFileStorage.open(dir, options())) {
            CorruptStorageException e = assertThrows(CorruptStorageException.class, () -> s.load(A));
            assertTrue(e.getMessage().contains("data length " + length), e.getMessage());
            assertStillUsable(s);
        }
    }

    @Test
    void aDamagedOlderRevisionFailsLoadAtAndHistoryButNotLoad() throws IOException {
        makeStore(20);
        damage(aOld, 28, b -> b.putInt(0, 5_000), 4);
        try (MappedFileStorage s = MappedFileStorage.open(dir, options())) {
            assertEquals('A', s.load(A).data()[0]);
            assertNamesPlace(assertThrows(CorruptStorageException.class, () -> s.loadAt(A, tidOld)), aOld);
            assertThrows(CorruptStorageException.class, () -> s.history(A, 10));
            assertEquals(1, s.history(A, 1).size(), "the newest revision's history still reads");
            assertNamesPlace(assertThrows(CorruptStorageException.class, () -> s.pack(tidOld, (r, refs) -> { })),
                    aOld);
            assertEquals('A', s.load(A).data()[0], "a pack that met damage changed nothing");
            assertArrayEquals("bravo".getBytes(), s.load(B).data());
        }
    }

    @Test
    void aDamagedTransactionHeaderFailsHistoryAndTransactionsAfter() throws IOException {
        makeStore(20);
        long txn = LogPosition.of(LogPosition.segment(aNew), LogLayout.SEGMENT_HEADER_SIZE); // the first one
        damage(txn, 52, b -> b.putShort(0, (short) 0x7fff), 2); // user length
        try (MappedFileStorage s = MappedFileStorage.open(dir, options())) {
            assertNamesPlace(assertThrows(CorruptStorageException.class, () -> s.history(B, 10)),
                    txn);
            assertThrows(CorruptStorageException.class, () -> s.transactionsAfter(Storage.NO_TID));
            assertArrayEquals("bravo".getBytes(), s.load(B).data(), "a load checks B's own record, which is intact");
            assertEquals('A', s.load(A).data()[0], "A's newest revision is in an intact transaction");
        }
    }

    @Test
    void inALargeTransactionAFlippedDataByteFailsLoadAndPack() throws IOException {
        makeStore(LARGE);
        damage(aNew, 36 + 4000, b -> b.put(0, (byte) 'x'), 1); // deep inside the data: only a CRC can see it
        try (MappedFileStorage s = MappedFileStorage.open(dir, options())) {
            CorruptStorageException e = assertThrows(CorruptStorageException.class, () -> s.load(A));
            assertNamesPlace(e, aNew);
            assertTrue(e.getMessage().contains("CRC32C mismatch of oid " + A + "'s data record"), e.getMessage());
            assertThrows(CorruptStorageException.class, () -> s.loadAt(A, tidOld), "the walk starts at the damage");
            assertThrows(CorruptStorageException.class, () -> s.history(A, 10));
            e = assertThrows(CorruptStorageException.class, () -> s.pack(s.lastTid(), (r, refs) -> { }));
            assertTrue(e.getMessage().contains("CRC32C mismatch"), e.getMessage());
            assertStillUsable(s);
        }
        damage(aNew, 36 + 4000, b -> b.put(0, (byte) 'A'), 1); // repaired: the pack that met damage changed nothing
        try (MappedFileStorage s = MappedFileStorage.open(dir, options())) {
            assertEquals(LARGE, s.load(A).data().length);
            assertEquals('a', s.loadAt(A, tidOld).data()[4000]);
        }
    }

    /** Bytes of A in the large-transaction case: well above the 4 KiB that format 1 checked by CRC on load. */
    private static final int LARGE = 10_000;

    @Test
    void aGhostWhoseRecordIsDamagedFailsWithTheStorageException() throws IOException {
        long oid;
        try (Database db = Database.open(dir)) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            c.root().put("b", c.create(Account.class, "b", 7L)); // with Account's class registry entries
            tm.commit();
            Account a = c.create(Account.class, "a", 5L);
            c.root().put("a", a);
            tm.commit();
            c.root().put("x", "the root's newest revision in a transaction of its own");
            tm.commit();
            oid = Persistence.oid(a).orElseThrow();
        }
        long position;
        try (MappedFileStorage s = MappedFileStorage.open(dir)) {
            position = s.hooks().index().get(oid).position();
        }
        damage(position, 28, b -> b.putInt(0, 1 << 24), 4);
        try (Database db = Database.open(dir)) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            Account a = (Account) c.root().get("a"); // a ghost: nothing read yet
            CorruptStorageException e = assertThrows(CorruptStorageException.class, a::balance);
            assertNamesPlace(e, position);
            Connection other = db.open(new TransactionManager(false)); // get loads the record at once
            assertNamesPlace(assertThrows(CorruptStorageException.class, () -> other.get(oid)), position);
            assertEquals(7, ((Account) c.root().get("b")).balance());
            tm.abort();
        }
    }
}

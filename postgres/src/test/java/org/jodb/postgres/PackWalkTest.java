package org.jodb.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import org.jodb.spi.ConflictResolver;
import org.jodb.spi.ReferenceFinder;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageException;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pack's walk on the server's work table: a reachable set several batches large, with unreachable objects
 * interleaved among it, packs to exactly the reachable set; a pack interrupted (its finder failing, its
 * connection terminated) removes nothing, leaves no work table, and the next pack works.
 */
class PackWalkTest extends PgSchemas {
    /** Objects besides the root; one in three is garbage, so 4,000 reachable: four batches of the walk. */
    private static final int OBJECTS = 6_000;
    /** Far enough into a walk that it has written its table through more than one batch. */
    private static final int MID_WALK = 1_500;

    /** A record is a 4-byte marker followed by the oids it refers to. */
    private static final ReferenceFinder FINDER = (record, oids) -> {
        ByteBuffer buffer = ByteBuffer.wrap(record);
        buffer.getInt();
        while (buffer.remaining() >= 8) {
            oids.accept(buffer.getLong());
        }
    };

    private String schema;
    private PostgresStorage storage;
    private final Set<Long> reachable = new TreeSet<>();
    private final Set<Long> garbage = new TreeSet<>();

    @BeforeEach
    void fillAStoreLargerThanABatch() {
        schema = schema("pack_walk");
        storage = PostgresStorage.open(server.url(schema));
        long[] oids = new long[OBJECTS];
        for (int i = 0; i < OBJECTS; i++) {
            oids[i] = storage.newOid();
        }
        List<Long> live = new ArrayList<>();
        List<Long> dead = new ArrayList<>();
        for (int i = 0; i < OBJECTS; i++) {
            (i % 3 == 2 ? dead : live).add(oids[i]);
        }
        reachable.add(Storage.ROOT_OID);
        reachable.addAll(live);
        garbage.addAll(dead);
        // the live objects form a binary tree under the root: its widest level is wider than a batch;
        // each garbage object refers to a live one and to the next garbage object (a cycle of garbage)
        List<long[]> writes = new ArrayList<>();
        writes.add(new long[] {Storage.ROOT_OID, live.get(0)});
        for (int j = 0; j < live.size(); j++) {
            List<Long> children = new ArrayList<>();
            for (int k = 2 * j + 1; k <= 2 * j + 2 && k < live.size(); k++) {
                children.add(live.get(k));
            }
            writes.add(row(live.get(j), children));
        }
        for (int j = 0; j < dead.size(); j++) {
            writes.add(row(dead.get(j), List.of(live.get((j * 7) % live.size()), dead.get((j + 1) % dead.size()))));
        }
        for (int from = 0; from < writes.size(); from += 1_000) {
            StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", "fill"), ConflictResolver.NONE);
            for (long[] write : writes.subList(from, Math.min(writes.size(), from + 1_000))) {
                long[] refs = new long[write.length - 1];
                System.arraycopy(write, 1, refs, 0, refs.length);
                txn.store(write[0], Storage.NO_TID, record(refs));
            }
            txn.vote();
            txn.finish();
        }
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void aPackKeepsExactlyTheReachableObjectsOfAWalkOfManyBatches() throws SQLException {
        storage.pack(storage.lastTid(), FINDER);

        assertStored(reachable, "pack keeps every reachable object and nothing else");
        assertNotNull(storage.load(Storage.ROOT_OID));
        assertNull(storage.load(garbage.iterator().next()), "a garbage object is gone");
        assertEquals(0, workTables(), "the walk's table is dropped");
        // the connection the pack used goes back to the pool: commits (PREPARE TRANSACTION included) go on
        long leaf = reachable.stream().mapToLong(Long::longValue).max().orElseThrow();
        for (int i = 0; i < 3; i++) {
            long serial = storage.load(leaf).tid();
            StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", "after"), ConflictResolver.NONE);
            txn.store(leaf, serial, record());
            txn.vote();
            txn.finish();
        }
    }

    @Test
    void aCommitDuringTheWalkThatLinksAGarbageObjectToAWalkedOneKeepsIt() throws SQLException {
        long linked = garbage.iterator().next();
        AtomicInteger calls = new AtomicInteger();
        ReferenceFinder committing = (record, oids) -> {
            if (calls.incrementAndGet() == MID_WALK) {
                // the root was walked first: only a walk of its new revision finds the garbage it now links
                long serial = storage.load(Storage.ROOT_OID).tid();
                long firstLive = reachable.stream().filter(oid -> oid != Storage.ROOT_OID).findFirst().orElseThrow();
                StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("", "link"), ConflictResolver.NONE);
                txn.store(Storage.ROOT_OID, serial, record(firstLive, linked));
                txn.vote();
                txn.finish();
            }
            FINDER.references(record, oids);
        };
        storage.pack(storage.lastTid(), committing);

        // each garbage object refers to the next: linking one makes all of them reachable again
        Set<Long> all = new TreeSet<>(reachable);
        all.addAll(garbage);
        assertStored(all, "what the commit linked, and all it leads to, is kept");
        assertNotNull(storage.load(linked));
        assertEquals(0, workTables());
    }

    @Test
    void aFinderThatFailsMidWalkLeavesTheStoreWholeAndTheNextPackWorks() throws SQLException {
        AtomicInteger calls = new AtomicInteger();
        ReferenceFinder failing = (record, oids) -> {
            if (calls.incrementAndGet() == MID_WALK) {
                throw new IllegalStateException("the finder fails on purpose");
            }
            FINDER.references(record, oids);
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> storage.pack(storage.lastTid(), failing));
        assertEquals("the finder fails on purpose", e.getMessage());

        assertStoreWholeAndNoWorkTable();
        storage.pack(storage.lastTid(), FINDER);
        assertStored(reachable, "the next pack removes the garbage");
    }

    @Test
    void aConnectionTerminatedMidWalkIsWalkedAgainOnANewOne() throws SQLException {
        try (Connection admin = server.admin()) {
            Terminating finder = new Terminating(admin, 1);
            storage.pack(storage.lastTid(), finder);
            assertEquals(1, finder.cuts, "the walk was cut once");
        }
        assertStored(reachable, "the pack started again from the top and removed the garbage");
        assertEquals(0, workTables(), "no walk table is left");
    }

    @Test
    void aConnectionTerminatedMidWalkEachTimeLeavesTheStoreWholeAndTheNextPackWorks() throws SQLException {
        try (Connection admin = server.admin()) {
            Terminating finder = new Terminating(admin, 2);
            StorageException e = assertThrows(StorageException.class, () -> storage.pack(storage.lastTid(), finder));
            assertEquals(2, finder.cuts, "the walk and the one run again were cut: " + e.getMessage());
        }
        assertStoreWholeAndNoWorkTable();
        storage.pack(storage.lastTid(), FINDER);
        assertStored(reachable, "the next pack removes the garbage");
        assertEquals(0, workTables());
    }

    /**
     * A finder that, at every {@link #MID_WALK}th record it reads, terminates the pack's backend (the one whose
     * last statement walked this schema's objects), {@code times} times at most. A walk cut at the first reads
     * at most a batch more before its next statement fails, so the walk run again is cut too, well into it.
     */
    private final class Terminating implements ReferenceFinder {
        private final Connection admin;
        private final int times;
        private int calls;
        int cuts;

        Terminating(Connection admin, int times) {
            this.admin = admin;
            this.times = times;
        }

        @Override
        public void references(byte[] record, LongConsumer oids) {
            if (++calls % MID_WALK == 0 && cuts < times) {
                cuts++;
                try (PreparedStatement s = admin.prepareStatement("SELECT count(pg_terminate_backend(pid, 10000))"
                        + " FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query LIKE ?")) {
                    s.setString(1, "%" + PackWalk.TABLE + "%" + schema + "%");
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        assertEquals(1, rs.getInt(1), "one backend walks this schema");
                    }
                } catch (SQLException e) {
                    throw new AssertionError(e);
                }
            }
            FINDER.references(record, oids);
        }
    }

    private void assertStoreWholeAndNoWorkTable() throws SQLException {
        Set<Long> all = new TreeSet<>(reachable);
        all.addAll(garbage);
        assertStored(all, "an interrupted pack removed nothing");
        assertEquals(0, workTables(), "no walk table is left");
    }

    /** Asserts that the store holds exactly {@code expected}, naming the first oids missing and extra. */
    private void assertStored(Set<Long> expected, String what) throws SQLException {
        Set<Long> stored = storedOids();
        List<Long> missing = expected.stream().filter(oid -> !stored.contains(oid)).limit(10).toList();
        List<Long> extra = stored.stream().filter(oid -> !expected.contains(oid)).limit(10).toList();
        assertEquals(List.of(), missing, what + ": missing (the first 10)");
        assertEquals(List.of(), extra, what + ": not removed (the first 10)");
        assertEquals(expected.size(), stored.size(), what);
    }

    private Set<Long> storedOids() throws SQLException {
        Set<Long> oids = new TreeSet<>();
        try (Connection c = server.admin(); PreparedStatement s = c.prepareStatement("SELECT DISTINCT oid FROM "
                + SchemaName.quoted(schema) + ".object_state"); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                oids.add(rs.getLong(1));
            }
        }
        return oids;
    }

    /** The walk tables on the server, of every session (the tests run one after another). */
    private static int workTables() throws SQLException {
        try (Connection c = server.admin(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM pg_class WHERE relname = 'jodb_pack_walk'"); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static long[] row(long oid, List<Long> refs) {
        long[] row = new long[refs.size() + 1];
        row[0] = oid;
        for (int i = 0; i < refs.size(); i++) {
            row[i + 1] = refs.get(i);
        }
        return row;
    }

    private static byte[] record(long... refs) {
        ByteBuffer buffer = ByteBuffer.allocate(4 + 8 * refs.length);
        buffer.putInt(0x4a4f4442);
        for (long ref : refs) {
            buffer.putLong(ref);
        }
        return buffer.array();
    }
}

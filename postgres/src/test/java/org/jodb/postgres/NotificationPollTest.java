package org.jodb.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jodb.spi.Changes;
import org.jodb.spi.ConflictResolver;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.StorageView;
import org.jodb.spi.TransactionMetadata;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A view's poll with nothing new costs no round trip while the listener hears every commit; a commit of another
 * process is reported after its notification, with one query, or with none when the notification named its
 * oids and the tid before it; with the listener's connection lost the views
 * ask the server at every poll, so that nothing goes unreported.
 */
class NotificationPollTest extends PgSchemas {

    /** A DataSource that counts the connections taken from it (each job of the storage takes one). */
    private static final class CountingDataSource implements DataSource {
        final PGSimpleDataSource inner = new PGSimpleDataSource();
        final AtomicInteger taken = new AtomicInteger();

        @Override
        public Connection getConnection() throws SQLException {
            taken.incrementAndGet();
            return inner.getConnection();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            taken.incrementAndGet();
            return inner.getConnection(user, password);
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("waited a minute for " + what);
            }
            Thread.sleep(10);
        }
    }

    private static long commit(Storage s) {
        return commit(s, 1);
    }

    /** A two-phase commit of {@code objects} new objects. */
    private static long commit(Storage s, int objects) {
        StorageTransaction txn = s.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
        for (int i = 0; i < objects; i++) {
            txn.store(s.newOid(), Storage.NO_TID, new byte[] {7});
        }
        txn.vote();
        return txn.finish();
    }

    @Test
    void aPollWithNothingNewAsksNothingAndAnotherProcessesCommitIsReportedOnceHeard() throws Exception {
        String schema = schema("notify");
        CountingDataSource source = new CountingDataSource();
        source.inner.setUrl(PgUrl.parse(server.url(schema), "jodb").driverUrl());
        try (PostgresStorage mine = PostgresStorage.open(source, PostgresOptions.defaults().withSchema(schema));
             PostgresStorage theirs = PostgresStorage.open(server.url(schema))) {
            await("the listener", () -> mine.listenerGeneration() != 0);
            long t1 = commit(theirs);
            await("the notification of " + t1, () -> mine.knownTid() >= t1);
            StorageView view = mine.openView();
            assertEquals(t1, view.snapshotTid());

            int before = source.taken.get();
            for (int i = 0; i < 20; i++) {
                assertEquals(Changes.none(t1), view.poll());
            }
            assertEquals(before, source.taken.get(), "polls with nothing new took no connection");

            // too many oids for a notification to name: it names the tid alone, and the poll asks the server
            long t2 = commit(theirs, VoteFunction.MAX_NOTIFIED_OIDS + 1);
            await("the notification of " + t2, () -> mine.knownTid() >= t2);
            Changes changes = view.poll();
            assertEquals(t2, changes.snapshotTid());
            assertEquals(List.of(t2), changes.transactions().stream().map(t -> t.tid()).toList());
            assertEquals(before + 1, source.taken.get(), "one query for what changed");
            assertEquals(Changes.none(t2), view.poll());
            assertEquals(before + 1, source.taken.get());
            view.close();
        }
    }

    @Test
    void anotherProcessesCommitWhoseNotificationNamesItsOidsIsReportedWithoutAQuery() throws Exception {
        String schema = schema("notify_oids");
        CountingDataSource source = new CountingDataSource();
        source.inner.setUrl(PgUrl.parse(server.url(schema), "jodb").driverUrl());
        try (PostgresStorage mine = PostgresStorage.open(source, PostgresOptions.defaults().withSchema(schema));
             PostgresStorage theirs = PostgresStorage.open(server.url(schema))) {
            await("the listener", () -> mine.listenerGeneration() != 0);
            StorageView view = mine.openView();
            long start = view.snapshotTid();
            long[] oids = {theirs.newOid(), theirs.newOid()};
            long[] tids = new long[2];
            for (int i = 0; i < 2; i++) {
                // a one-phase commit notifies from its database transaction, naming the tid before it and its oids
                StorageTransaction txn = theirs.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
                txn.store(oids[i], Storage.NO_TID, new byte[] {(byte) i});
                tids[i] = txn.voteAndFinish().tid();
            }
            await("the notification of " + tids[1], () -> mine.knownTid() >= tids[1]);

            int before = source.taken.get();
            Changes changes = view.poll();
            assertEquals(before, source.taken.get(), "the notifications told everything: no query");
            assertEquals(tids[1], changes.snapshotTid());
            assertEquals(List.of(tids[0], tids[1]), changes.transactions().stream().map(t -> t.tid()).toList());
            assertEquals(oids[0], changes.transactions().get(0).oids()[0]);
            assertEquals(oids[1], changes.transactions().get(1).oids()[0]);
            assertTrue(start < tids[0]);
            view.close();
        }
    }

    @Test
    void thisStoragesOwnCommitsAreReportedWithoutAQueryAndAnotherProcessesBetweenThemWithOne() throws Exception {
        String schema = schema("notify_own");
        CountingDataSource source = new CountingDataSource();
        source.inner.setUrl(PgUrl.parse(server.url(schema), "jodb").driverUrl());
        // without PREPARE, a commit notifies from its own database transaction; with it, a notifier thread
        // takes a pooled connection after COMMIT PREPARED, at a moment this test's count of connections
        // taken cannot tell from a poll's query
        PostgresOptions options = PostgresOptions.defaults().withSchema(schema).withPreparedTransactions(false);
        try (PostgresStorage mine = PostgresStorage.open(source, options);
             PostgresStorage theirs = PostgresStorage.open(server.url(schema))) {
            await("the listener", () -> mine.listenerGeneration() != 0);
            StorageView view = mine.openView();
            long start = view.snapshotTid();
            long[] oid = {mine.newOid()};
            StorageTransaction txn = mine.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
            txn.store(oid[0], Storage.NO_TID, new byte[] {1});
            txn.vote();
            long t1 = txn.finish();

            int before = source.taken.get();
            Changes changes = view.poll();
            assertEquals(before, source.taken.get(), "the storage's own commit took no query");
            assertEquals(t1, changes.snapshotTid());
            assertEquals(List.of(t1), changes.transactions().stream().map(t -> t.tid()).toList());
            assertEquals(oid[0], changes.transactions().get(0).oids()[0]);
            assertTrue(start < t1);

            long t2 = commit(theirs);
            long t3 = commit(mine);
            Changes both = view.poll();
            assertEquals(t3, both.snapshotTid());
            assertEquals(List.of(t2, t3), both.transactions().stream().map(t -> t.tid()).toList(),
                    "the other process's commit between two of this storage's is reported, heard or not");
            view.close();
        }
    }

    @Test
    void withTheListenerDownEveryPollAsksTheServer() throws Exception {
        String schema = schema("notify_down");
        try (PostgresStorage mine = PostgresStorage.open(server.url(schema));
             PostgresStorage theirs = PostgresStorage.open(server.url(schema))) {
            await("the listener", () -> mine.listenerGeneration() != 0);
            StorageView view = mine.openView();
            long generation = mine.listenerGeneration();
            terminateListenerOf(schema, mine);
            await("the listener to notice", () -> mine.listenerGeneration() != generation);

            long t1 = commit(theirs); // whether or not the listener is back, the view cannot trust it yet
            Changes changes = view.poll();
            assertEquals(t1, changes.snapshotTid(), "reported without waiting for any notification");
            assertTrue(changes.known());
            view.close();
        }
    }

    private static void terminateListenerOf(String schema, PostgresStorage s) throws SQLException {
        try (Connection c = server.admin(); PreparedStatement st = c.prepareStatement("SELECT pid FROM pg_locks"
                + " WHERE locktype = 'advisory' AND objsubid = 2 AND classid::bigint = ? AND objid::bigint = ?")) {
            st.setLong(1, s.keys.ownerClass() & 0xffffffffL);
            st.setLong(2, s.owner & 0xffffffffL);
            try (ResultSet rs = st.executeQuery()) {
                assertTrue(rs.next(), "the listener of " + schema + " holds its owner lock");
                int pid = rs.getInt(1);
                assertNotEquals(0, pid);
                server.terminate(pid);
            }
        }
    }
}

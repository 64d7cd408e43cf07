package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.jodb.spi.MemoryStorage;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Database#statistics()} and its JMX MBean count what the connections of one database did. */
class DatabaseStatisticsTest {
    private final MemoryStorage storage = new MemoryStorage();
    private final Database db = Database.open(storage);
    private final TransactionManager tm1 = new TransactionManager(false);
    private final TransactionManager tm2 = new TransactionManager(false);

    @AfterEach
    void close() {
        tm1.abort();
        tm2.abort();
        db.close();
    }

    @Test
    void commitsAndStoredRecordsAreCountedAsTheConnectionsCountThem() {
        Connection c = db.open(tm1);
        DatabaseStatistics before = db.statistics();
        tm1.begin();
        c.root().put("a", c.create(Account.class, "ann", 10L));
        c.root().put("b", c.create(Account.class, "bob", 20L));
        tm1.commit();
        tm1.begin();
        tm1.commit(); // nothing written: not a commit of the storage

        DatabaseStatistics during = db.statistics().minus(before);
        assertEquals(1, during.commits());
        assertEquals(c.transferCounts().stores(), during.recordsStored());
        assertEquals(3, during.recordsStored(), "the root and two accounts");
        assertEquals(0, during.conflicts());
        assertEquals(1, during.openConnections());
    }

    @Test
    void aConflictAtCommitIsCounted() {
        Connection c1 = db.open(tm1);
        tm1.begin();
        c1.root().put("account", c1.create(Account.class, "ann", 10L));
        tm1.commit();
        Connection c2 = db.open(tm2);
        tm1.begin();
        tm2.begin();
        ((Account) c1.root().get("account")).deposit(1);
        ((Account) c2.root().get("account")).deposit(2);
        tm1.commit();
        DatabaseStatistics before = db.statistics();

        assertThrows(ConflictException.class, tm2::commit);

        DatabaseStatistics after = db.statistics().minus(before);
        assertEquals(1, after.conflicts());
        assertEquals(0, after.commits());
    }

    @Test
    void runCountsItsRetriesAndGivesUpOnlyWhenNoAttemptIsLeft() {
        Connection c1 = db.open(tm1);
        Connection c2 = db.open(tm2);
        tm1.begin();
        c1.root().put("account", c1.create(Account.class, "ann", 0L));
        tm1.commit();
        DatabaseStatistics before = db.statistics();
        AtomicInteger attempts = new AtomicInteger();

        tm2.run(3, () -> {
            ((Account) c2.root().get("account")).deposit(1);
            if (attempts.incrementAndGet() == 1) { // another writer commits the same account meanwhile, once
                tm1.begin();
                ((Account) c1.root().get("account")).deposit(100);
                tm1.commit();
            }
        });
        DatabaseStatistics retried = db.statistics().minus(before);
        assertEquals(2, attempts.get());
        assertEquals(1, retried.retries());
        assertEquals(0, retried.giveUps());
        assertEquals(1, retried.conflicts());

        assertThrows(ConflictException.class, () -> tm2.run(1, () -> {
            ((Account) c2.root().get("account")).deposit(1);
            tm1.begin();
            ((Account) c1.root().get("account")).deposit(100);
            tm1.commit();
        }));
        DatabaseStatistics gaveUp = db.statistics().minus(before);
        assertEquals(1, gaveUp.retries());
        assertEquals(1, gaveUp.giveUps());
    }

    @Test
    void aFailureThatIsNotRetryableIsNeitherARetryNorAGiveUp() {
        Connection c = db.open(tm1);
        DatabaseStatistics before = db.statistics();
        assertThrows(IllegalArgumentException.class, () -> tm1.run(3, () -> {
            c.root().put("x", 1);
            throw new IllegalArgumentException("bad input");
        }));
        DatabaseStatistics after = db.statistics().minus(before);
        assertEquals(0, after.retries());
        assertEquals(0, after.giveUps());
    }

    @Test
    void loadsAreMissesAndLookupsTheCacheAnswersAreHits() {
        Connection writer = db.open(tm1);
        tm1.begin();
        Account ann = writer.create(Account.class, "ann", 1L);
        writer.root().put("ann", ann);
        tm1.commit();
        long oid = Persistence.oid(writer.root().get("ann")).orElseThrow();

        try (Database other = Database.open(storage)) { // a cold cache on the same storage
            Connection reader = other.open(tm2);
            DatabaseStatistics before = other.statistics();
            tm2.begin();
            assertEquals(1, ((Account) reader.get(oid)).balance());
            DatabaseStatistics cold = other.statistics().minus(before);
            assertEquals(reader.transferCounts().loads(), cold.recordsLoaded());
            assertTrue(cold.recordsLoaded() >= 1, cold.toString());

            reader.get(oid);
            reader.get(oid);
            DatabaseStatistics warm = other.statistics().minus(before);
            assertEquals(cold.recordsLoaded(), warm.recordsLoaded(), "the cache answered");
            assertEquals(cold.cacheHits() + 2, warm.cacheHits());
            assertEquals((double) warm.cacheHits() / (warm.cacheHits() + warm.recordsLoaded()), warm.cacheHitRate());
            tm2.commit();
            assertEquals(reader.cacheLoadedCount(), other.statistics().cachedObjects());
        }
    }

    /**
     * The database's totals are what its connections counted, on nine threads at once; they stay when a
     * connection's own counts are reset, and when a connection is dropped for good (the pool holds 7).
     */
    @Test
    void theConnectionsCountsAddUpAndStayWhenOneIsResetOrDropped() throws Exception {
        Connection writer = db.open(tm1);
        tm1.begin();
        long[] oids = new long[10];
        for (int i = 0; i < oids.length; i++) {
            Account a = writer.create(Account.class, "owner" + i, (long) i);
            writer.root().put("a" + i, a);
        }
        tm1.commit();
        for (int i = 0; i < oids.length; i++) {
            oids[i] = Persistence.oid(writer.root().get("a" + i)).orElseThrow();
        }

        try (Database other = Database.open(storage)) { // cold caches on the same storage
            DatabaseStatistics before = other.statistics();
            int readers = 9;
            long[] loads = new long[readers];
            java.util.concurrent.CyclicBarrier allOpen = new java.util.concurrent.CyclicBarrier(readers);
            Thread[] threads = new Thread[readers];
            for (int r = 0; r < readers; r++) {
                int reader = r;
                threads[r] = new Thread(() -> {
                    TransactionManager tm = new TransactionManager(false);
                    try (Connection c = other.open(tm)) {
                        allOpen.await(); // nine connections at once: none is taken from the pool
                        tm.begin();
                        for (long oid : oids) {
                            c.get(oid);
                            c.get(oid); // a hit
                        }
                        loads[reader] = c.transferCounts().loads();
                        tm.abort();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
            }
            for (Thread t : threads) {
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            long expected = java.util.Arrays.stream(loads).sum();
            assertEquals((long) readers * oids.length, expected, "each reader loaded every account");
            DatabaseStatistics all = other.statistics().minus(before);
            assertEquals(expected, all.recordsLoaded(), "two of the nine connections were dropped, not pooled");
            assertTrue(all.cacheHits() >= (long) readers * oids.length, all.toString());

            Connection pooled = other.open(tm2);
            pooled.resetTransferCounts();
            assertEquals(all.recordsLoaded(), other.statistics().minus(before).recordsLoaded(),
                    "a connection's reset leaves the database's totals alone");
            assertEquals(all.cacheHits(), other.statistics().minus(before).cacheHits());
        }
    }

    @Test
    void packsAreCounted() {
        DatabaseStatistics before = db.statistics();
        db.pack();
        DatabaseStatistics after = db.statistics().minus(before);
        assertEquals(1, after.packs());
        assertEquals(0, after.packsRunning());
    }

    @Test
    void theMBeanShowsTheSameFiguresAndGoesWithTheDatabase() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Database own = Database.inMemory();
        ObjectName name = own.registerMBean("statistics-test");
        try {
            assertEquals(new ObjectName("org.jodb:type=Database,name=\"statistics-test\""), name);
            TransactionManager tm = new TransactionManager(false);
            Connection c = own.open(tm);
            tm.begin();
            c.root().put("k", "v");
            tm.commit();
            assertEquals(own.statistics().commits(), server.getAttribute(name, "Commits"));
            assertEquals(own.statistics().recordsStored(), server.getAttribute(name, "RecordsStored"));
            assertEquals("memory", server.getAttribute(name, "StorageName"));

            IllegalStateException twice = assertThrows(IllegalStateException.class, () -> own.registerMBean("x"));
            assertTrue(twice.getMessage().contains("registered with JMX already"), twice.getMessage());
            try (Database another = Database.inMemory()) {
                IllegalStateException taken = assertThrows(IllegalStateException.class,
                        () -> another.registerMBean("statistics-test"));
                assertTrue(taken.getMessage().contains("pass a name of your own"), taken.getMessage());
            }
        } finally {
            own.close();
        }
        assertFalse(server.isRegistered(name));
    }
}

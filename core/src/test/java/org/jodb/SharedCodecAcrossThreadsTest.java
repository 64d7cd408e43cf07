package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jodb.spi.MemoryStorage;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/**
 * Connections on different threads share one database's codec (its per-thread Kryo, the remembered last
 * thread, each Kryo's remembered class registrations and state serializers): loads on several threads at
 * once, of several classes interleaved, with caches emptied between rounds, must each read what was stored.
 */
class SharedCodecAcrossThreadsTest {
    private static final int OBJECTS = 300;
    private static final int THREADS = 4;

    @Test
    @SuppressWarnings("unchecked")
    void concurrentLoadsOnSeveralThreadsReadWhatWasStored() throws Exception {
        Database db = Database.open(new MemoryStorage());
        try {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            PersistentList<Object> all = new PersistentList<>();
            PersistentMap<String, Object> map = new PersistentMap<>();
            for (int i = 0; i < OBJECTS; i++) {
                Account a = c.create(Account.class, "owner-" + i + (i % 3 == 0 ? "-\u00e9t\u00e9" : ""), (long) i);
                all.add(a);
                PersistentList<String> names = new PersistentList<>();
                names.add("n" + i);
                all.add(names);
                map.put("key" + i, i % 2 == 0 ? Long.valueOf(i) : "s" + i);
            }
            for (int i = OBJECTS; i < 2000; i++) {
                map.put("key" + i, "v" + i);
            }
            c.root().put("all", all);
            c.root().put("map", map);
            tm.commit();

            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    results.add(pool.submit(() -> {
                        TransactionManager mine = new TransactionManager(false);
                        Connection conn = db.open(mine);
                        int checked = 0;
                        for (int round = 0; round < 5; round++) {
                            List<Object> objects = (List<Object>) conn.root().get("all");
                            Map<String, Object> m = (Map<String, Object>) conn.root().get("map");
                            for (int i = 0; i < OBJECTS; i++) {
                                Account a = (Account) objects.get(2 * i);
                                assertEquals("owner-" + i + (i % 3 == 0 ? "-\u00e9t\u00e9" : ""), a.owner());
                                assertEquals(i, a.balance());
                                assertEquals(List.of("n" + i), new ArrayList<>((List<String>) objects.get(2 * i + 1)));
                                assertEquals(i % 2 == 0 ? Long.valueOf(i) : "s" + i, m.get("key" + i));
                                checked++;
                            }
                            assertEquals("v1999", m.get("key1999"));
                            mine.abort();
                            conn.cacheMinimize();
                        }
                        conn.close();
                        return checked;
                    }));
                }
                for (Future<Integer> f : results) {
                    assertEquals(5 * OBJECTS, f.get(60, TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }
        } finally {
            db.close();
        }
    }
}

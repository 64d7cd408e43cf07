package org.jodb.coldstart;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.Persistence;
import org.jodb.PersistentList;
import org.jodb.coldstart.cold.Loaded;
import org.jodb.coldstart.cold.Nested;
import org.jodb.coldstart.cold.Referenced;
import org.jodb.coldstart.cold.Wrapper;
import org.jodb.spi.MemoryStorage;
import org.jodb.transaction.TransactionManager;

/**
 * The child JVM of {@link ColdStartTest}: {@code PATH ROUNDS}. Each round takes a class none of its threads
 * has used (a copy from a new {@link FreshClasses}), opens a new database on storage that already holds
 * the objects the path needs (written through the parent loader's copy of the classes), and lets
 * {@value #THREADS} threads, each with its own {@code TransactionManager(false)} and connection, take the
 * path at the same moment (a latch). A round fails when a thread throws, gets a wrong value, or the threads
 * see more than one proxy class, or one not defined next to its class. Prints {@code ROUND n FAILED: ...}
 * per failed round and, last, {@code PATH p ROUNDS n FAILED k}.
 */
public final class ColdStartChild {
    static final int THREADS = 8;
    private static final long VALUE = 42;

    /** The ways a thread meets a class for the first time. */
    enum Path {
        /** {@code Connection.create} of the class. */
        CREATE("Created"),
        /** {@code Connection.get} of an object of the class (a ghost made from its record). */
        GHOST("Loaded"),
        /** Loading a list whose record references objects of the class. */
        RECORD("Referenced"),
        /** Loading a list whose record holds a plain value that references an object of the class. */
        NESTED("Nested"),
        /** {@code create}, put into the root under a key of its own and commit once (maps merge). */
        COMMIT("Committed");

        final String className;

        Path(String className) {
            this.className = FreshClasses.COLD + className;
        }
    }

    private ColdStartChild() {
    }

    public static void main(String[] args) throws Exception {
        Path path = Path.valueOf(args[0]);
        int rounds = Integer.parseInt(args[1]);
        int failed = 0;
        for (int round = 0; round < rounds; round++) {
            String failure = round(path);
            if (failure != null) {
                failed++;
                System.out.println("ROUND " + round + " FAILED: " + failure);
            }
        }
        System.out.println("PATH " + path + " ROUNDS " + rounds + " FAILED " + failed);
        System.out.flush();
        System.exit(0);
    }

    /** One cold start; null when it went right, else what went wrong. */
    private static String round(Path path) throws Exception {
        FreshClasses fresh = new FreshClasses(ColdStartChild.class.getClassLoader());
        MemoryStorage storage = new MemoryStorage();
        long oid = prepare(path, Database.open(storage));
        Class<?> userClass = fresh.loadClass(path.className);
        Database db = Database.open(storage); // its own codec and registry: nothing resolved yet
        try {
            CountDownLatch ready = new CountDownLatch(THREADS);
            CountDownLatch go = new CountDownLatch(1);
            Object[] seen = new Object[THREADS]; // each thread's proxy class, or what it threw
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                int index = i;
                Thread t = new Thread(() -> {
                    TransactionManager tm = new TransactionManager(false);
                    Connection conn = db.open(tm);
                    try {
                        ready.countDown();
                        go.await();
                        seen[index] = take(path, conn, tm, fresh, userClass, oid, index);
                    } catch (Throwable e) {
                        seen[index] = e instanceof InvocationTargetException ite ? ite.getCause() : e;
                    } finally {
                        tm.abort();
                        conn.close();
                    }
                }, "cold-" + i);
                t.setContextClassLoader(fresh); // as an application's threads find its classes
                threads.add(t);
                t.start();
            }
            ready.await();
            go.countDown();
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(60));
                if (t.isAlive()) {
                    return t.getName() + " still runs after a minute (a deadlock?)";
                }
            }
            return verdict(seen, userClass, fresh);
        } finally {
            db.close();
        }
    }

    private static String verdict(Object[] seen, Class<?> userClass, ClassLoader fresh) {
        Set<Object> proxies = new LinkedHashSet<>();
        for (int i = 0; i < seen.length; i++) {
            if (seen[i] instanceof Throwable e) {
                return "thread " + i + " threw " + e;
            }
            proxies.add(seen[i]);
        }
        if (proxies.size() != 1) {
            return "the threads saw " + proxies.size() + " proxy classes: " + proxies;
        }
        Class<?> proxy = (Class<?>) proxies.iterator().next();
        if (proxy.getSuperclass() != userClass || proxy.getClassLoader() != fresh) {
            return "proxy " + proxy + " of loader " + proxy.getClassLoader() + " is not defined next to " + userClass;
        }
        return null;
    }

    /** Stores what the path loads, through the parent loader's (already used) copies of the classes. */
    private static long prepare(Path path, Database prep) {
        TransactionManager tm = new TransactionManager(false);
        try (Connection conn = prep.open(tm)) {
            Object stored = switch (path) {
                case CREATE, COMMIT -> null;
                case GHOST -> conn.create(Loaded.class, VALUE);
                case RECORD -> new PersistentList<>(List.of(conn.create(Referenced.class, VALUE)));
                case NESTED -> new PersistentList<>(List.of(new Wrapper(conn.create(Nested.class, VALUE))));
            };
            if (stored == null) {
                return -1;
            }
            conn.root().put("stored", stored);
            tm.commit();
            return Persistence.oid(stored).orElseThrow();
        }
    }

    /** The path, on one racing thread; returns the proxy class it met. */
    private static Class<?> take(Path path, Connection conn, TransactionManager tm, ClassLoader fresh,
            Class<?> userClass, long oid, int index) throws Exception {
        Object object = switch (path) {
            case CREATE -> conn.create(userClass, VALUE);
            case GHOST -> conn.get(oid);
            case RECORD -> ((List<?>) conn.get(oid)).get(0);
            case NESTED -> {
                Object wrapper = ((List<?>) conn.get(oid)).get(0);
                Class<?> wrapperClass = fresh.loadClass(FreshClasses.COLD + "Wrapper");
                if (wrapper.getClass() != wrapperClass) {
                    throw new AssertionError("the nested value is a " + wrapper.getClass() + " of loader "
                            + wrapper.getClass().getClassLoader() + ", not the thread's own " + wrapperClass);
                }
                yield wrapperClass.getMethod("target").invoke(wrapper);
            }
            case COMMIT -> {
                Object created = conn.create(userClass, VALUE);
                conn.root().put("thread" + index, created);
                tm.commit(); // one attempt: different keys of one map merge, so no thread may conflict
                yield created;
            }
        };
        Object value = userClass.getMethod("value").invoke(object); // loads a ghost through its proxy
        if (!Long.valueOf(VALUE).equals(value)) {
            throw new AssertionError("value " + value + " instead of " + VALUE);
        }
        return object.getClass();
    }
}

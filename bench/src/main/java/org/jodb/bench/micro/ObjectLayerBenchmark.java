package org.jodb.bench.micro;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.PersistentMap;
import org.jodb.bench.Account;
import org.jodb.storage.MappedFileStorage;
import org.jodb.storage.StorageOptions;
import org.jodb.transaction.Savepoint;
import org.jodb.transaction.TransactionManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The object layer's hot paths, through the public API on the file storage in deferred mode (so
 * that the disk does not dominate): a method call through a proxy beside a plain call, the dirty
 * check of touched but unchanged objects at commit, the commit (serialization) of 1,000 changed
 * objects, and savepoint plus rollback of 10,000 changed objects. Rates per object.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "-Dchronicle.analytics.disable=true"})
public class ObjectLayerBenchmark {
    private static final int COMMIT_BATCH = 1_000;
    private static final int SAVEPOINT_BATCH = 10_000;

    private Path dir;
    private Database db;
    private TransactionManager tm;
    private Connection conn;
    private final List<Account> accounts = new ArrayList<>();
    private Account plain;
    private Account proxy;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        System.setProperty("chronicle.analytics.disable", "true");
        dir = Files.createTempDirectory("jodb-jmh");
        db = Database.open(MappedFileStorage.open(dir,
                StorageOptions.builder().durability(StorageOptions.Durability.DEFERRED).build()));
        tm = new TransactionManager(false);
        conn = db.open(tm);
        PersistentMap<String, Account> map = new PersistentMap<>();
        conn.root().put("accounts", map);
        for (int i = 0; i < SAVEPOINT_BATCH; i++) {
            Account a = conn.create(Account.class, "owner-" + i, 1_000L, 0L);
            map.put("acct-" + i, a);
            accounts.add(a);
        }
        tm.commit();
        plain = new Account("plain", 1_000L, 0L);
        proxy = accounts.get(0);
        proxy.getBalance();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        tm.abort();
        conn.close();
        db.close();
        TempDirs.deleteRecursively(dir);
    }

    @Benchmark
    public long plainCall() {
        return plain.getBalance();
    }

    @Benchmark
    public long proxyCall() {
        return proxy.getBalance();
    }

    /** Touch 1,000 objects with a read-only call, commit: each is serialized and found unchanged. */
    @Benchmark
    @OperationsPerInvocation(COMMIT_BATCH)
    public void dirtyCheckUnchanged() {
        for (int i = 0; i < COMMIT_BATCH; i++) {
            accounts.get(i).getBalance();
        }
        tm.commit();
    }

    /** Change 1,000 objects, commit: serialized, compared, written to the log. */
    @Benchmark
    @OperationsPerInvocation(COMMIT_BATCH)
    public void commitChanged() {
        for (int i = 0; i < COMMIT_BATCH; i++) {
            accounts.get(i).deposit(1);
        }
        tm.commit();
    }

    /** Change 10,000 objects, take a savepoint, change them again, roll back, abort. */
    @Benchmark
    @OperationsPerInvocation(SAVEPOINT_BATCH)
    public void savepointAndRollback() {
        for (Account a : accounts) {
            a.deposit(1);
        }
        Savepoint sp = tm.savepoint();
        for (Account a : accounts) {
            a.deposit(1);
        }
        sp.rollback();
        tm.abort();
    }
}

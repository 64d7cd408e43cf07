package org.jodb.bench.micro;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.jodb.spi.ConflictResolver;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.jodb.storage.MappedFileStorage;
import org.jodb.storage.StorageOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The storage's hot paths through the storage SPI, below the object layer: loading a record by oid
 * (index lookup plus read from the mapped log) among 100,000, and appending a one-record transaction
 * of 100 bytes (log append and commit bookkeeping, in deferred mode so the fsync is not measured).
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
public class StorageBenchmark {
    @Param("100000")
    public int records;

    private Path dir;
    private Storage storage;
    private long[] oids;
    private final SplittableRandom random = new SplittableRandom(42);
    private final byte[] record = new byte[100];
    private static final TransactionMetadata META = new TransactionMetadata("", "");

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        System.setProperty("chronicle.analytics.disable", "true");
        dir = Files.createTempDirectory("jodb-jmh-storage");
        storage = MappedFileStorage.open(dir, StorageOptions.builder()
                .durability(StorageOptions.Durability.DEFERRED).build());
        oids = new long[records];
        for (int from = 0; from < records; from += 1_000) {
            StorageTransaction tx = storage.tpcBegin(META, ConflictResolver.NONE);
            for (int i = from; i < Math.min(records, from + 1_000); i++) {
                oids[i] = storage.newOid();
                tx.store(oids[i], Storage.NO_TID, record);
            }
            tx.vote();
            tx.finish();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        storage.close();
        TempDirs.deleteRecursively(dir);
    }

    @Benchmark
    public Object indexLookupAndLoad() {
        return storage.load(oids[random.nextInt(oids.length)]);
    }

    @Benchmark
    public long logAppend() {
        StorageTransaction tx = storage.tpcBegin(META, ConflictResolver.NONE);
        tx.store(storage.newOid(), Storage.NO_TID, record);
        tx.vote();
        return tx.finish();
    }
}

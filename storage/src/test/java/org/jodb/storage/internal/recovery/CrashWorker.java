package org.jodb.storage.internal.recovery;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;

import org.jodb.spi.ConflictResolver;
import org.jodb.spi.ReferenceFinder;
import org.jodb.spi.Revision;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageException;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.jodb.storage.MappedFileStorage;
import org.jodb.storage.StorageOptions;

/**
 * The child process of the crash tests. Modes:
 * <ul>
 *   <li>{@code transfer DIR SYNC|DEFERRED SEED}: creates {@value #ACCOUNTS} accounts of {@value #START_BALANCE}
 *       if the store is empty, then moves money between random accounts forever, one transaction per transfer,
 *       printing {@code ACK <tid>} after each commit returned;</li>
 *   <li>{@code transferpack DIR SEED}: like {@code transfer} (SYNC), also creating an unreferenced object in
 *       every other transaction (new oids grow the index), while a second thread packs again and again,
 *       printing {@code PACKING <packTid>} before each pack and {@code PACK} after it returned, {@code PACK REFUSED} after pack refused because the
 *       writers outran its copy (nothing changed), or {@code PACK FAILED <exception>} before exiting with 3
 *       on any other failure;</li>
 *   <li>{@code objects DIR SYNC|DEFERRED THREADS SEED}: transfers through the object layer on {@code THREADS}
 *       writer threads, each with its own transaction manager and connection ({@link ObjectTransfers}),
 *       printing {@code ACK <from>:<version> <to>:<version>} after each commit returned;</li>
 *   <li>{@code hold DIR}: opens the store, prints {@code OPEN} and waits to be killed;</li>
 *   <li>{@code open DIR}: tries to open the store and prints {@code OK} or {@code ERR <class>: <message>}.</li>
 * </ul>
 */
public final class CrashWorker {

    static final int ACCOUNTS = 10;
    static final long START_BALANCE = 1_000;

    private CrashWorker() {
    }

    static StorageOptions options(StorageOptions.Durability durability) {
        StorageOptions.Builder b = StorageOptions.builder().segmentSize(4096).indexCapacity(1_000).durability(durability);
        return durability == StorageOptions.Durability.DEFERRED ? b.flushIntervalMillis(10).build() : b.build();
    }

    static long balance(Revision r) {
        return ByteBuffer.wrap(r.data()).getLong();
    }

    private static byte[] balance(long amount) {
        return ByteBuffer.allocate(8).putLong(amount).array();
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "transfer" -> transfer(dir, StorageOptions.Durability.valueOf(args[2]), Long.parseLong(args[3]));
            case "transferpack" -> transferWhilePacking(dir, Long.parseLong(args[2]));
            case "objects" -> ObjectTransfers.run(dir, StorageOptions.Durability.valueOf(args[2]),
                    Integer.parseInt(args[3]), Long.parseLong(args[4]));
            case "hold" -> {
                MappedFileStorage storage = MappedFileStorage.open(dir, options(StorageOptions.Durability.SYNC));
                System.out.println("OPEN " + storage.lastTid());
                System.out.flush();
                Thread.sleep(60_000);
            }
            case "open" -> {
                try (MappedFileStorage storage = MappedFileStorage.open(dir)) {
                    System.out.println("OK " + storage.lastTid());
                } catch (RuntimeException e) {
                    System.out.println("ERR " + e.getClass().getName() + ": " + e.getMessage());
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /** Every record refers to every account: the accounts stay live through pack, other objects are garbage. */
    static final ReferenceFinder ACCOUNTS_LIVE = (data, oids) -> {
        for (long oid = 1; oid <= ACCOUNTS; oid++) {
            oids.accept(oid);
        }
    };

    /** Part of the message of pack's refusal when writers outran its copy (Pack.SEGMENT_ID_GAP). */
    static final String PACK_OUTRUN = "log segments while pack copied";

    private static void transferWhilePacking(Path dir, long seed) {
        Storage storage = MappedFileStorage.open(dir, options(StorageOptions.Durability.SYNC));
        Thread packer = new Thread(() -> {
            while (true) {
                try {
                    long packTid = storage.lastTid();
                    System.out.println("PACKING " + packTid); // before: a kill may land after its commit point
                    System.out.flush();
                    storage.pack(packTid, ACCOUNTS_LIVE);
                    System.out.println("PACK");
                } catch (StorageException e) {
                    if (!e.getMessage().contains(PACK_OUTRUN)) {
                        System.out.println("PACK FAILED " + e);
                        System.out.flush();
                        System.exit(3);
                    }
                    // writers filled the pack's reserved segment ids while it copied (4 KiB segments, a store
                    // grown over many runs): a documented refusal that changed nothing; pack again
                    System.out.println("PACK REFUSED");
                }
                System.out.flush();
            }
        });
        packer.setDaemon(true);
        transfer(storage, seed, true, packer);
    }

    private static void transfer(Path dir, StorageOptions.Durability durability, long seed) {
        transfer(MappedFileStorage.open(dir, options(durability)), seed, false, null);
    }

    private static void transfer(Storage storage, long seed, boolean garbage, Thread packer) {
        Random random = new Random(seed);
        if (storage.load(Storage.ROOT_OID) == null) {
            StorageTransaction init = storage.tpcBegin(new TransactionMetadata("crash", "accounts"), ConflictResolver.NONE);
            init.store(Storage.ROOT_OID, Storage.NO_TID, "accounts".getBytes());
            for (int i = 0; i < ACCOUNTS; i++) {
                init.store(storage.newOid(), Storage.NO_TID, balance(START_BALANCE));
            }
            init.vote();
            System.out.println("ACK " + init.finish());
        }
        if (packer != null) {
            packer.start();
        }
        while (true) {
            long from = 1 + random.nextInt(ACCOUNTS);
            long to = 1 + random.nextInt(ACCOUNTS);
            if (from == to) {
                continue;
            }
            Revision a = storage.load(from);
            Revision b = storage.load(to);
            long amount = random.nextInt(100);
            StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("crash", from + "->" + to),
                    ConflictResolver.NONE);
            txn.store(from, a.tid(), balance(balance(a) - amount));
            // padding makes transactions of varied size, so segment rolls fall at varied places
            txn.store(to, b.tid(), balance(balance(b) + amount));
            if (random.nextInt(4) == 0) {
                txn.store(Storage.ROOT_OID, storage.load(Storage.ROOT_OID).tid(), new byte[random.nextInt(3000)]);
            }
            if (garbage && random.nextBoolean()) {
                txn.store(storage.newOid(), Storage.NO_TID, new byte[random.nextInt(100)]);
            }
            txn.vote();
            long tid = txn.finish();
            System.out.println("ACK " + tid);
            System.out.flush();
        }
    }
}

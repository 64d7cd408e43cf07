package org.jodb.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.jetbrains.annotations.NotNull;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.DataInput2;
import org.mapdb.DataOutput2;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;

/**
 * MapDB 3 with its write-ahead log ({@code transactionEnable()}) and memory-mapped files where
 * supported (the setting its documentation recommends for speed); a {@code hashMap} of String to
 * {@link Account} with a dedicated value serializer.
 *
 * <p>Durability: {@code SYNC} is MapDB's default with transactions: {@code commit()} forces the
 * log. {@code DEFERRED} adds {@code fileSyncDisable()}: commit writes without forcing and the OS
 * decides when data reaches the disk (no bound of MapDB's own).
 *
 * <p>It cannot run the savepoint workload (one transaction per store, rollback only of all of it)
 * nor concurrent transactions (all threads share the store's single transaction).
 */
final class MapDbStore implements Store {
    private DB db;
    private HTreeMap<String, Account> accounts;

    @Override
    public String name() {
        return "mapdb";
    }

    @Override
    public String product() {
        return "MapDB " + Versions.of("mapdb");
    }

    @Override
    public String cannot(Workload workload, Durability mode) {
        if (workload == Workload.SAVEPOINT) {
            return "no savepoints";
        }
        if (workload == Workload.CONCURRENT) {
            return "one shared transaction";
        }
        return null;
    }

    @Override
    public String describe(Durability mode) {
        return mode == Durability.SYNC
                ? "transactionEnable(): commit forces the write-ahead log"
                : "transactionEnable().fileSyncDisable(): no fsync, the OS writes back";
    }

    @Override
    public void open(Path dir, Durability mode) {
        DBMaker.Maker maker = DBMaker.fileDB(dir.resolve("accounts.mapdb").toFile())
                .transactionEnable()
                .fileMmapEnableIfSupported();
        if (mode == Durability.DEFERRED) {
            maker = maker.fileSyncDisable();
        }
        db = maker.make();
        accounts = db.hashMap("accounts", Serializer.STRING, AccountSerializer.INSTANCE).createOrOpen();
    }

    @Override
    public void insert(int from, int count) {
        for (int i = from; i < from + count; i++) {
            accounts.put(Keys.key(i), Keys.newAccount(i));
        }
        db.commit();
    }

    @Override
    public Writer writer() {
        return new Writer() {
            @Override
            public int transfer(int[] keys) {
                for (int k = 0; k + 1 < keys.length; k += 2) {
                    String from = Keys.key(keys[k]);
                    String to = Keys.key(keys[k + 1]);
                    Account a = accounts.get(from);
                    a.deposit(-1);
                    accounts.put(from, a);
                    Account b = accounts.get(to);
                    b.deposit(1);
                    accounts.put(to, b);
                }
                db.commit();
                return 1;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void savepointScenario(int[] first, int[] second) {
        throw new UnsupportedOperationException(cannot(Workload.SAVEPOINT, Durability.SYNC));
    }

    @Override
    public long[] readAll() {
        long count = 0;
        long sum = 0;
        for (Account a : accounts.values()) {
            count++;
            sum += a.getBalance();
        }
        return new long[] {count, sum};
    }

    @Override
    public void close() {
        if (db != null) {
            db.close();
            db = null;
            accounts = null;
        }
    }

    /** MapDB's serializer for {@link Account}, on {@link AccountCodec}'s layout. */
    static final class AccountSerializer implements Serializer<Account> {
        static final AccountSerializer INSTANCE = new AccountSerializer();

        @Override
        public void serialize(@NotNull DataOutput2 out, @NotNull Account value) throws IOException {
            byte[] bytes = AccountCodec.encode(value);
            out.packInt(bytes.length);
            out.write(bytes);
        }

        @Override
        public Account deserialize(@NotNull DataInput2 input, int available) throws IOException {
            byte[] bytes = new byte[input.unpackInt()];
            input.readFully(bytes);
            return AccountCodec.decode(ByteBuffer.wrap(bytes));
        }
    }
}

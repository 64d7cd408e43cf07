package org.jodb.storage.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.jodb.spi.ConflictResolver;
import org.jodb.spi.ReferenceFinder;
import org.jodb.spi.Revision;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.jodb.storage.MappedFileStorage;
import org.jodb.storage.PackHooks;
import org.jodb.storage.StorageOptions;

/**
 * A store the fuzzer copies and damages, and what it must read back. Every commit of a seed returned (was
 * acknowledged); a seed whose writer was "killed" is a copy of the files taken while the store was open, as a
 * kill -9 leaves them. {@code stale} holds the files as the seed's previous clean close left them: the older
 * copies that the replace mutation puts back, from before the last open.
 *
 * @param name        for messages
 * @param dir         the seed's files
 * @param stale       the same store's files at its previous clean close
 * @param killed      whether the writer was killed (else the store was closed cleanly)
 * @param options     to open copies with
 * @param state       every object's bytes after the last commit (oid to UTF-8 text)
 * @param beforeLast  the same before the last commit: what a cut torn last transaction leaves
 * @param lastTid     the last commit's tid
 * @param tidBeforeLast the tid before it
 */
record FuzzSeed(String name, Path dir, Path stale, boolean killed, StorageOptions options,
                Map<Long, String> state, Map<Long, String> beforeLast, long lastTid, long tidBeforeLast) {

    /** How the seed's writer ends. */
    enum Ending { CLEAN_CLOSE, KILLED, KILLED_AT_PACK_COMMIT }

    /** Keeps every object through a pack, so that a pack changes no value. */
    private static final ReferenceFinder KEEP_ALL = new ReferenceFinder() {
        @Override
        public void references(byte[] record, java.util.function.LongConsumer oids) {
        }

        @Override
        public boolean pinned(byte[] record) {
            return true;
        }
    };

    /**
     * Writes a seed: {@code before} commits, a clean close (copied to {@code stale}), a reopen, {@code before}
     * more commits and a clean close, a reopen and {@code after} more commits, then the ending. The stale copy
     * is older than what {@code index.meta} records at the last open: a copy of the newest segment taken after
     * that open, put back after a kill, could not be told from a crash that lost nothing acknowledged (no
     * file records commits made since the last open but the log itself).
     */
    static FuzzSeed build(String name, Path root, StorageOptions options, int before, int after, Ending ending,
                          long randomSeed) {
        Random random = new Random(randomSeed);
        Path live = root.resolve(name + "-live");
        Path dir = root.resolve(name);
        Path stale = root.resolve(name + "-stale");
        Map<Long, String> state = new TreeMap<>();
        {
            try (MappedFileStorage storage = MappedFileStorage.open(live, options)) {
                for (int i = 0; i < before; i++) {
                    commit(storage, random, state, i);
                }
            }
            copy(live, stale);
            try (MappedFileStorage storage = MappedFileStorage.open(live, options)) {
                for (int i = 0; i < before; i++) {
                    commit(storage, random, state, before + i);
                }
            }
            Map<Long, String> beforeLast;
            long tidBeforeLast;
            try (MappedFileStorage storage = MappedFileStorage.open(live, options)) {
                for (int i = 0; i < after - 1; i++) {
                    commit(storage, random, state, 2 * before + i);
                }
                beforeLast = new TreeMap<>(state);
                tidBeforeLast = storage.lastTid();
                commit(storage, random, state, 2 * before + after - 1);
                switch (ending) {
                    case KILLED -> copy(live, dir);
                    case KILLED_AT_PACK_COMMIT -> {
                        PackHooks.atCommitPoint(storage, () -> copy(live, dir));
                        storage.pack(tidBeforeLast, KEEP_ALL);
                    }
                    case CLEAN_CLOSE -> {
                    }
                }
                long lastTid = storage.lastTid();
                if (ending == Ending.CLEAN_CLOSE) {
                    storage.close();
                    copy(live, dir);
                }
                return new FuzzSeed(name, dir, stale, ending != Ending.CLEAN_CLOSE, options, Map.copyOf(state),
                        Map.copyOf(beforeLast), lastTid, tidBeforeLast);
            }
        }
    }

    /** Stores one to four objects, new or existing, of 20 to 400 bytes. */
    private static void commit(Storage storage, Random random, Map<Long, String> state, int round) {
        StorageTransaction txn = storage.tpcBegin(new TransactionMetadata("fuzz", "round " + round),
                ConflictResolver.NONE);
        int count = 1 + random.nextInt(4);
        java.util.Set<Long> stored = new java.util.HashSet<>();
        for (int i = 0; i < count; i++) {
            long oid = state.isEmpty() ? Storage.ROOT_OID
                    : random.nextInt(3) == 0 ? storage.newOid() : List.copyOf(state.keySet()).get(random.nextInt(state.size()));
            if (!stored.add(oid)) {
                continue;
            }
            Revision current = storage.load(oid);
            String value = "oid " + oid + " round " + round + " " + "x".repeat(random.nextInt(380));
            txn.store(oid, current == null ? Storage.NO_TID : current.tid(), value.getBytes());
            state.put(oid, value);
        }
        txn.vote();
        txn.finish();
    }

    /** Copies every regular file of {@code from} (a store, open or not) into {@code to}. */
    static void copy(Path from, Path to) {
        try {
            Files.createDirectories(to);
            try (Stream<Path> files = Files.list(from)) {
                for (Path p : files.toList()) {
                    if (Files.isRegularFile(p)) {
                        Files.copy(p, to.resolve(p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.jodb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jodb.spi.ConflictResolver;
import org.jodb.spi.CorruptStorageException;
import org.jodb.spi.Revision;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageTransaction;
import org.jodb.spi.TransactionMetadata;
import org.jodb.storage.internal.index.IndexMeta;
import org.jodb.storage.internal.index.IndexSurgery;
import org.jodb.storage.internal.index.OidIndex;
import org.jodb.storage.internal.log.LogPosition;
import org.jodb.storage.internal.log.Segment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Index damage is never fatal and never slow (FORMAT.md 5): a cleanly closed store whose index file or
 * {@code index.meta} was damaged opens and reads every object right, with no exception and no stall, and
 * commits on top. The sweeps damage the last 4 KiB of each file (every {@link IndexDamageTrials#STRIDE}-th
 * offset of the index file, every offset of {@code index.meta}; {@code -Djodb.indexDamage.stride=1} runs every
 * offset of both by hand) and the index file's whole length at a wider stride; the killed-writer case is
 * {@code recovery.KilledStoreIndexDamageTest}.
 */
class IndexDamageTest {

    @TempDir
    static Path seed;
    @TempDir
    static Path work;
    @TempDir
    Path dir;

    private static IndexDamageTrials trials;
    /** The seed's index file and the bytes its fingerprint covers. */
    private static String indexFile;
    private static long headerSpan;

    static StorageOptions options() {
        return StorageOptions.builder().segmentSize(1 << 16).indexCapacity(1_000).build();
    }

    /**
     * 800 objects (the index grows from 16 pages of 64 oids to 64 pages at 768 oids, a second generation),
     * every third of them updated twice: loads must find the newest of several revisions.
     */
    @BeforeAll
    static void makeSeed() throws IOException {
        fill(seed, 800);
        trials = new IndexDamageTrials(seed, work, options());
        IndexMeta meta = IndexMeta.read(seed);
        indexFile = OidIndex.file(seed, meta.generation()).getFileName().toString();
        headerSpan = meta.fingerprint().headerSpan();
    }

    private static void fill(Path store, int count) {
        try (MappedFileStorage s = MappedFileStorage.open(store, options())) {
            for (int i = 0; i < count; i += 100) {
                commit(s, i, Math.min(count, i + 100), -1);
            }
            for (int round = 0; round < 2; round++) {
                StorageTransaction txn = s.tpcBegin(new TransactionMetadata("seed", "update " + round),
                        ConflictResolver.NONE);
                for (long oid = 1; oid <= count; oid += 3) {
                    txn.store(oid, s.load(oid).tid(), ("v" + oid + "." + (round + 1)).getBytes());
                }
                txn.vote();
                txn.finish();
            }
        }
    }

    private static void commit(MappedFileStorage s, int from, int to, int ignored) {
        StorageTransaction txn = s.tpcBegin(new TransactionMetadata("seed", ""), ConflictResolver.NONE);
        if (from == 0) {
            txn.store(Storage.ROOT_OID, Storage.NO_TID, "root".getBytes()); // every oid below nextOid exists
        }
        for (int j = from; j < to; j++) {
            long oid = s.newOid();
            txn.store(oid, Storage.NO_TID, ("v" + oid + ".0").getBytes());
        }
        txn.vote();
        txn.finish();
    }

    @Test
    void theSeedIsWhatTheSweepsNeed() throws IOException {
        assertEquals(801, trials.objects(), "the root and 800 objects");
        assertEquals(List.of("index-00000002.cm", "index.meta"), trials.indexFiles(), "one grown index generation");
        assertTrue(headerSpan > 0 && headerSpan < trials.size(indexFile) - 4096,
                "the last 4 KiB lie past the fingerprinted header: " + headerSpan);
    }

    @Test
    void aFlipInTheLastFourKiBOfTheIndexFile() throws IOException {
        for (long at : trials.lastFourKiB(indexFile)) {
            trials.run(indexFile, IndexDamageTrials.flip(at), indexFile + " byte " + at + " flipped");
        }
    }

    @Test
    void aTruncationInTheLastFourKiBOfTheIndexFile() throws IOException {
        for (long at : trials.lastFourKiB(indexFile)) {
            IndexDamageTrials.Outcome o = trials.run(indexFile, IndexDamageTrials.truncate(at),
                    indexFile + " cut at " + at);
            assertFalse(o.openedFromIndex(), "a file of another length never reaches Chronicle Map");
        }
    }

    /**
     * Flips across the whole index file: inside the fingerprinted header (Chronicle's ready bit and segment
     * locks, which made it wait a minute) the file is never handed to Chronicle Map; past it, damaged entries
     * are found where they are used. About 50 offsets in the header and 50 past it;
     * {@code -Djodb.indexDamage.wholeStride=N} takes every N-th byte of the file instead.
     */
    @Test
    void aFlipAnywhereInTheIndexFile() throws IOException {
        long size = trials.size(indexFile);
        Integer wholeStride = Integer.getInteger("jodb.indexDamage.wholeStride");
        List<Long> offsets = new ArrayList<>();
        if (wholeStride != null) {
            for (long at = 0; at < size; at += Math.max(1, wholeStride)) {
                offsets.add(at);
            }
        } else {
            for (long at = 0; at < headerSpan; at += Math.max(1, headerSpan / 50)) {
                offsets.add(at);
            }
            for (long at = headerSpan; at < size; at += Math.max(1, (size - headerSpan) / 50)) {
                offsets.add(at);
            }
        }
        for (long at : offsets) {
            IndexDamageTrials.Outcome o = trials.run(indexFile, IndexDamageTrials.flip(at),
                    indexFile + " byte " + at + " flipped");
            if (at < headerSpan) {
                assertFalse(o.openedFromIndex(), "byte " + at + " is in the fingerprinted header");
            }
        }
        for (long at : List.of(8L, 9L, 10L, 11L, 4096L + 6)) { // Chronicle's ready bit; the first segment's lock
            assertFalse(trials.run(indexFile, IndexDamageTrials.flip(at), "byte " + at).openedFromIndex());
        }
    }

    @Test
    void aFlipOrTruncationAtEveryOffsetOfTheMeta() throws IOException {
        long size = trials.size(IndexMeta.FILE_NAME);
        for (long at = 0; at < size; at++) {
            assertFalse(trials.run(IndexMeta.FILE_NAME, IndexDamageTrials.flip(at), "index.meta byte " + at)
                    .openedFromIndex(), "a damaged side file means a rebuild");
            assertFalse(trials.run(IndexMeta.FILE_NAME, IndexDamageTrials.truncate(at), "index.meta cut at " + at)
                    .openedFromIndex());
        }
    }

    @Test
    void theIndexFileReplacedDeletedOrShort() throws IOException {
        Random random = new Random(42);
        byte[] original = Files.readAllBytes(seed.resolve(indexFile));
        List<byte[]> replacements = new ArrayList<>();
        for (int length : new int[]{0, 1, 8, 11, 12, 100, 4096, (int) headerSpan}) {
            replacements.add(java.util.Arrays.copyOf(original, length)); // its own beginning: a short file
            byte[] noise = new byte[length];
            random.nextBytes(noise);
            replacements.add(noise);
        }
        byte[] sameLength = new byte[original.length];
        random.nextBytes(sameLength);
        replacements.add(sameLength);
        replacements.add("this is not a chronicle map".getBytes());
        for (byte[] bytes : replacements) {
            assertFalse(trials.run(indexFile, IndexDamageTrials.replaceWith(bytes), "index file replaced by "
                    + bytes.length + " bytes").openedFromIndex());
        }
        assertFalse(trials.run(indexFile, IndexDamageTrials.delete(), "index file deleted").openedFromIndex());
    }

    @Test
    void theMetaDeletedOrRandom() throws IOException {
        Random random = new Random(7);
        assertFalse(trials.run(IndexMeta.FILE_NAME, IndexDamageTrials.delete(), "meta deleted").openedFromIndex());
        for (int length : new int[]{0, 1, 72, 91, 92, 93, 4096}) {
            byte[] noise = new byte[length];
            random.nextBytes(noise);
            assertFalse(trials.run(IndexMeta.FILE_NAME, IndexDamageTrials.replaceWith(noise), "meta replaced by "
                    + length + " random bytes").openedFromIndex());
        }
    }

    @Test
    void anUndamagedCopyIsTrustedWithoutARebuild() throws IOException {
        IndexDamageTrials.Outcome o = trials.run(indexFile, file -> { }, "no damage");
        assertTrue(o.openedFromIndex());
        assertEquals(0, o.rebuilds());
    }

    // ------------------------------------------------------------------------------------ damage met later

    /** An index file from an earlier clean close of the same store: its header may match, its entries are old. */
    @Test
    void anIndexFileFromAnEarlierCloseIsNotTrusted() throws IOException {
        fill(dir, 50);
        IndexMeta before = IndexMeta.read(dir);
        Path file = OidIndex.file(dir, before.generation());
        Path old = dir.resolveSibling(dir.getFileName() + "-old.cm");
        Files.copy(file, old);
        try (MappedFileStorage s = MappedFileStorage.open(dir, options())) {
            StorageTransaction txn = s.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
            txn.store(4, s.load(4).tid(), "newer".getBytes()); // an update: no new oid, same entry count
            txn.vote();
            txn.finish();
        }
        assertEquals(before.generation(), IndexMeta.read(dir).generation());
        Files.copy(old, file, StandardCopyOption.REPLACE_EXISTING);
        try (MappedFileStorage s = MappedFileStorage.open(dir, options())) {
            assertFalse(s.openedFromIndex(), "the file's seal names an older end of the log");
            assertArrayEquals("newer".getBytes(), s.load(4).data());
        }
    }

    /** Finds oid's 16-byte value (position, tid) in the index file: where damage of its entry would be. */
    private static long valueOffset(byte[] file, long position, long tid) {
        byte[] value = ByteBuffer.allocate(16).putLong(position).putLong(tid).array();
        outer:
        for (int i = 0; i + 16 <= file.length; i++) {
            for (int j = 0; j < 16; j++) {
                if (file[i + j] != value[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("no entry (" + position + ", " + tid + ") in the index file");
    }

    /**
     * Damaged entries of an index trusted from disk, met while reader threads load and a writer commits: one
     * rebuild, one warning naming the index file, every read right; and the rebuilt index is trusted at the
     * next open.
     */
    @Test
    void damagedEntriesAreRebuiltOnceWhileOthersReadAndCommit() throws Exception {
        fill(dir, 600);
        IndexMeta meta = IndexMeta.read(dir);
        Path file = OidIndex.file(dir, meta.generation());
        Map<Long, Long> positions = new ConcurrentHashMap<>();
        Map<Long, Long> tids = new ConcurrentHashMap<>();
        try (MappedFileStorage s = MappedFileStorage.open(dir, options())) {
            for (long oid = 100; oid < 600; oid += 50) {
                OidIndex.Entry e = s.hooks().index().get(oid);
                positions.put(oid, e.position());
                tids.put(oid, e.tid());
            }
        }
        byte[] bytes = Files.readAllBytes(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (long oid : positions.keySet()) {
                long at = valueOffset(bytes, positions.get(oid), tids.get(oid));
                // the position's offset part: the entry names a place that holds no record of its oid
                ch.write(ByteBuffer.wrap(new byte[]{(byte) (bytes[(int) at + 6] ^ 0x10)}), at + 6);
            }
        }
        // the damage is past the fingerprinted header and the seal: the file is trusted at open
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger(MappedFileStorage.class.getName());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel() == Level.WARNING) {
                    warnings.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try (MappedFileStorage s = MappedFileStorage.open(dir, options())) {
            assertTrue(s.openedFromIndex());
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                threads.add(new Thread(() -> {
                    try {
                        for (int pass = 0; pass < 2; pass++) {
                            for (long oid = 1; oid <= 600; oid++) {
                                String v = new String(s.load(oid).data());
                                if (!v.startsWith("v" + oid + ".")) {
                                    throw new AssertionError("oid " + oid + " read " + v);
                                }
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            threads.add(new Thread(() -> {
                try {
                    for (long oid = 2; oid <= 600; oid += 7) {
                        StorageTransaction txn = s.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
                        txn.store(oid, s.load(oid).tid(), ("v" + oid + ".w").getBytes());
                        txn.vote();
                        txn.finish();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(List.of(), failures);
            assertEquals(1, s.hooks().indexRebuilds(), "one rebuild, whichever thread met the damage first");
            for (long oid = 1; oid <= 600; oid++) {
                String expected = "v" + oid + ((oid - 2) % 7 == 0 ? ".w" : oid % 3 == 1 ? ".2" : ".0");
                assertEquals(expected, new String(s.load(oid).data()), "oid " + oid);
            }
        } finally {
            logger.removeHandler(handler);
        }
        assertEquals(1, warnings.size(), "one warning: " + warnings.stream().map(LogRecord::getMessage).toList());
        assertTrue(warnings.get(0).getMessage().contains(file.getFileName().toString()),
                warnings.get(0).getMessage());
        try (MappedFileStorage s = MappedFileStorage.open(dir, options())) {
            assertTrue(s.openedFromIndex(), "the rebuilt index was closed cleanly and is trusted");
            for (long oid = 1; oid <= 600; oid++) {
                assertTrue(new String(s.load(oid).data()).startsWith("v" + oid + "."));
            }
        }
    }

    /** An oid the trusted index lost, found by load, loadAt, history or a vote. */
    @Test
    void anOidTheTrustedIndexLostIsFoundAfterARebuild() {
        fill(dir, 100);
        try (MappedFileStorage s = MappedFileStorage.open(dir, options())) {
            assertTrue(s.openedFromIndex());
            IndexSurgery.lose(s.hooks().index(), 5);
            assertEquals("v5.0", new String(s.load(5).data()));
            assertEquals(1, s.hooks().indexRebuilds());
            assertNull(s.load(100_000), "an oid never handed out is a genuine miss");
            assertEquals(1, s.hooks().indexRebuilds(), "after a rebuild in this open, misses are genuine");
        }
        try (MappedFileStorage s = MappedFileStorage.open(dir, options())) {
            IndexSurgery.lose(s.hooks().index(), 7);
            assertEquals(3, s.history(7, 10).size(), "oid 7 was written three times");
            assertEquals(1, s.hooks().indexRebuilds());
        }
        try (MappedFileStorage s = MappedFileStorage.open(dir, options())) {
            long first = s.history(10, 10).get(2).tid();
            IndexSurgery.lose(s.hooks().index(), 10);
            assertEquals("v10.0", new String(s.loadAt(10, first).data()));
            assertEquals(1, s.hooks().indexRebuilds());
        }
        try (MappedFileStorage s = MappedFileStorage.open(dir, options())) {
            long tid = s.load(13).tid();
            IndexSurgery.lose(s.hooks().index(), 13);
            Thread voter = new Thread(() -> { // a thread whose loads never met oid 13's entry
                StorageTransaction txn = s.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
                txn.store(13, tid, "v13.3".getBytes());
                txn.vote();
                txn.finish();
            });
            voter.start();
            join(voter);
            assertEquals(1, s.hooks().indexRebuilds());
            assertEquals("v13.3", new String(s.load(13).data()));
            assertEquals("v13.2", new String(s.loadAt(13, tid).data()), "the new record's prev is the old one");
        }
    }

    /**
     * An oid the trusted index lost, when the rebuild that would find it meets damage of the log: every read
     * of it reports the damage, never "no such object" (before, the first load threw and every later one
     * answered null, so a committed object read as never written).
     */
    @Test
    void anOidLostWhenTheRebuildMeetsLogDamageIsNeverAnsweredAsMissing() throws IOException {
        fill(dir, 100);
        long position;
        try (MappedFileStorage s = MappedFileStorage.open(dir, options())) {
            position = s.hooks().index().get(50).position();
        }
        Path segment = dir.resolve(Segment.fileName(LogPosition.segment(position)));
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[]{'X'}), LogPosition.offset(position) + 36); // oid 50's first data byte
        }
        try (MappedFileStorage s = MappedFileStorage.open(dir, options())) {
            assertTrue(s.openedFromIndex(), "a clean open reads no old record");
            IndexSurgery.lose(s.hooks().index(), 5);
            for (int attempt = 0; attempt < 2; attempt++) {
                CorruptStorageException e = assertThrows(CorruptStorageException.class, () -> s.load(5));
                assertTrue(e.getMessage().contains(segment.toString()), e.getMessage());
            }
            assertThrows(CorruptStorageException.class, () -> s.history(5, 10));
            assertThrows(CorruptStorageException.class, () -> s.loadAt(5, s.lastTid()));
            assertEquals(0, s.hooks().indexRebuilds(), "no rebuild succeeded");
            assertEquals("v4.2", new String(s.load(4).data()), "what the index holds stays readable");
        }
    }

    /** An entry of the trusted index that names the wrong place, met first by a vote. */
    @Test
    void aWrongEntryIsNeverAVotesPrev() {
        fill(dir, 100);
        try (MappedFileStorage s = MappedFileStorage.open(dir, options())) {
            OidIndex.Entry e = s.hooks().index().get(16);
            s.hooks().index().put(16, e.position() + 8, e.tid());
            Thread voter = new Thread(() -> {
                StorageTransaction txn = s.tpcBegin(new TransactionMetadata("", ""), ConflictResolver.NONE);
                txn.store(16, e.tid(), "v16.3".getBytes());
                txn.vote();
                txn.finish();
            });
            voter.start();
            join(voter);
            assertEquals(1, s.hooks().indexRebuilds());
            assertEquals("v16.2", new String(s.loadAt(16, e.tid()).data()));
            assertEquals(4, s.history(16, 10).size());
        }
    }

    /** A verified index (rebuilt or new in this open) that disagrees with the log: the log is damaged. */
    @Test
    void damageOfTheLogUnderAVerifiedIndexNamesTheLogFileAndOffset() throws IOException {
        try (MappedFileStorage s = MappedFileStorage.open(dir, options())) {
            fill(s);
            long position = s.hooks().index().get(3).position();
            Path segment = dir.resolve(Segment.fileName(LogPosition.segment(position)));
            try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(new byte[]{'X'}), LogPosition.offset(position) + 36); // the first data byte
            }
            CorruptStorageException e = assertThrows(CorruptStorageException.class, () -> s.load(3));
            assertTrue(e.getMessage().contains(segment + " offset " + LogPosition.offset(position)), e.getMessage());
            assertFalse(e.getMessage().contains("index"), e.getMessage());
            assertEquals(0, s.hooks().indexRebuilds(), "a verified index is not rebuilt");
            assertEquals("v4.0", new String(s.load(4).data()), "other objects stay readable");
        }
    }

    private static void fill(MappedFileStorage s) {
        commit(s, 0, 10, -1);
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}

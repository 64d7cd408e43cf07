package org.jodb.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jodb.spi.CorruptStorageException;
import org.jodb.spi.ReferenceFinder;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageException;
import org.jodb.storage.internal.index.OidIndex;
import org.jodb.storage.internal.log.Log;
import org.jodb.storage.internal.log.LogPosition;
import org.jodb.storage.internal.log.LogLayout;
import org.jodb.storage.internal.log.RevisionView;
import org.jodb.storage.internal.log.Segment;
import org.jodb.storage.internal.log.TransactionView;
import org.jodb.storage.internal.recovery.PackCommit;

/**
 * One run of {@link MappedFileStorage#pack}: copies what is still needed into new segments and swaps them in
 * (FORMAT.md 7.3), through the storage's {@link CommitGate}. Online: writers and readers continue while it
 * copies.
 *
 * <p>Phases: (1) under the commit lock, briefly, fix the pack point: the last transaction, its tid, and the
 * first segment id of the output. (2) Without the lock, find what is live as of the pack point and copy every
 * transaction up to it, with the kept revisions only, into {@code log-N.seg.pack} files and a new index
 * generation; committed bytes never change, so this reads the old segments safely while writers append.
 * (3) Under the commit lock again, copy the transactions committed meanwhile whole, force, commit the pack
 * and swap segments and index. Phase 3 costs what was written during phase 2, not the store's size.
 *
 * <p>Kept: of every live object, each revision with a tid after packTid up to the pack point plus the newest
 * one at or before packTid; and everything committed after the pack point. Live is what the references of
 * those kept revisions reach from oid 0, from pinned records and from every object written after packTid
 * (see {@link #live}), so that any snapshot at or after packTid still finds what it refers to. Every
 * transaction that keeps a revision is kept with its header (with only its kept revisions), so
 * {@code history} metadata survives; a transaction with a tid at or before packTid that keeps none is
 * dropped, but for the pack point's own, and {@code transactionsAfter} no longer lists it. When the store has no root
 * object yet nothing counts as unreachable.
 *
 * <p>A transaction committed during phase 2 may refer to an object that was unreachable at the pack point
 * (a writer kept it in memory and linked it again). Its revisions were not copied, so phase 3 then gives up
 * ({@link #run} returns {@code false}) and the caller packs again holding the commit lock throughout.
 *
 * <p>Output segment ids start {@link #SEGMENT_ID_GAP} after the log's last segment at the pack point, leaving
 * room for the segments writers create meanwhile; ids stay contiguous in the log after the swap because
 * every old segment is removed. Should writers use up the gap, the pack fails and changes nothing.
 */
final class Pack {

    /** Segment ids left free for writers between the log's last segment at the pack point and pack's output. */
    static final int SEGMENT_ID_GAP = 1024;

    private final CommitGate gate;
    private final TestHooks hooks;
    private final Path dir;
    private final Log log;
    /** For each oid, the position of its newest revision copied so far, in the output. */
    private final Map<Long, Long> head = new HashMap<>();
    /** The position, in the output, of the last transaction copied. */
    private long prevTxn = LogPosition.NONE;
    private PackOutput out;
    private OidIndex packed;
    /** Every oid in the index when pack began to copy; those not copied are what this pack removes. */
    private final List<Long> candidates = new ArrayList<>();
    /** Set once {@code pack.commit} is written: from then on the pack must complete, here or at the next open. */
    private boolean pastCommitPoint;

    private Pack(CommitGate gate, TestHooks hooks) {
        this.gate = gate;
        this.hooks = hooks;
        this.log = gate.log();
        this.dir = log.directory();
    }

    /**
     * Packs the storage of {@code gate} as {@link org.jodb.spi.Storage#pack} describes; the caller holds the pack
     * lock. The index is verified first: pack trusts its set of oids.
     */
    static void pack(CommitGate gate, TestHooks hooks, long packTid, ReferenceFinder references) {
        gate.verifyIndex();
        if (!new Pack(gate, hooks).run(packTid, references)) {
            // A transaction committed while pack copied refers to an object pack had found unreachable:
            // packing again with writers held out cannot meet that (rare) case.
            gate.lock();
            try {
                gate.checkOpen();
                new Pack(gate, hooks).run(packTid, references);
            } finally {
                gate.unlock();
            }
        }
    }

    /**
     * Packs. Returns {@code false}, having changed nothing, if a transaction committed while pack copied
     * refers to an object pack had dropped; packing again with the commit lock held cannot meet that case.
     */
    private boolean run(long packTid, ReferenceFinder references) {
        long packTxn;
        long packPointTid;
        int generation;
        long capacity;
        int inMemory;
        gate.lock();
        try {
            gate.checkOpen();
            if (gate.lastTxn() == LogPosition.NONE) {
                return true;
            }
            packTxn = gate.lastTxn();
            packPointTid = gate.lastTid();
            out = new PackOutput(dir, log.segmentSize(), log.nextSegmentId() + SEGMENT_ID_GAP);
            generation = gate.nextIndexGeneration();
            capacity = gate.index().capacity();
            inMemory = gate.index().pagesInMemoryLimit();
        } finally {
            gate.unlock();
        }
        packed = OidIndex.create(dir, generation, capacity, inMemory);
        try {
            Map<Long, Long> keepFrom = live(packTid, packPointTid, references);
            for (long p : transactionsBetween(LogPosition.NONE, packTxn)) {
                copy(p, keepFrom, null, p == packTxn ? Long.MIN_VALUE : packTid);
            }
            hooks.whilePackCopies.run();
            gate.lock();
            try {
                gate.checkOpen();
                if (gate.logFailed()) {
                    throw new StorageException("the log failed while pack copied: " + log.failure().getMessage());
                }
                if (log.nextSegmentId() > out.firstId) {
                    throw new StorageException("writers filled more than " + SEGMENT_ID_GAP + " log segments while"
                            + " pack copied. Nothing changed; pack again at a quieter time or use larger segments.");
                }
                Set<Long> referenced = new HashSet<>();
                for (long p : transactionsBetween(packTxn, gate.lastTxn())) {
                    copy(p, null, data -> references.references(data, referenced::add), Long.MIN_VALUE);
                }
                for (long oid : referenced) {
                    if (!head.containsKey(oid) && gate.current(oid, Storage.NO_TID) != null) {
                        discard();
                        return false; // revived: see the class comment
                    }
                }
                swap(references, packTid);
            } finally {
                gate.unlock();
            }
            return true;
        } catch (IOException | RuntimeException e) {
            if (pastCommitPoint) {
                // committed but not swapped in this process: the store must be reopened to finish the pack
                gate.closeStorage();
                throw new StorageException("pack of " + dir + " failed after its commit point: " + e.getMessage()
                        + ". The storage was closed; reopening it completes the pack.", e);
            }
            discard();
            throw e instanceof StorageException se ? se
                    : new StorageException("pack of " + dir + " failed: " + e.getMessage()
                    + ". Nothing changed; free disk space and retry.", e);
        }
    }

    /** Commits the pack and swaps its output in (commit lock). */
    private void swap(ReferenceFinder references, long packTid) throws IOException {
        if (out.segments.isEmpty()) {
            out.reserve(0); // nothing kept at all: the log continues in one empty output segment
        }
        List<Segment> old = log.ordered();
        out.forceAll();
        // the commit point of pack: from here on the swap is redone after a crash (FORMAT.md 7.3)
        try {
            PackCommit.write(dir, old.get(0).id, old.get(old.size() - 1).id, out.segments.get(0).id,
                    out.segments.get(out.segments.size() - 1).id, hooks.beforePackCommitForce);
        } catch (RuntimeException e) {
            // A failed force may leave the file whole: the next open would then finish this pack and delete the
            // old segments, with every commit made after this failure. Unless it is gone, the pack is committed.
            pastCommitPoint = !PackCommit.remove(dir);
            throw e;
        }
        pastCommitPoint = true;
        hooks.atPackCommitPoint.run();
        for (Segment s : out.segments) {
            s.moveTo(dir.resolve(Segment.fileName(s.id)));
        }
        for (Segment s : old) {
            Files.deleteIfExists(s.file);
        }
        Segment.forceDirectory(dir);
        Files.deleteIfExists(dir.resolve(PackCommit.FILE_NAME));
        Segment.forceDirectory(dir);
        // order matters to readers: new segments readable, then the new index and chain head, then
        // the old segments gone; a reader that misses a segment therefore always sees a newer index
        log.adopt(out.segments, out.end());
        gate.publishPack(packed, prevTxn, packTid, candidates.stream().filter(oid -> !head.containsKey(oid))
                .mapToLong(Long::longValue).toArray(), references);
        log.retire(old);
    }

    private void discard() {
        packed.close();
        out.discard();
        try {
            Files.deleteIfExists(packed.file());
        } catch (IOException ignored) {
            // a stale index generation is deleted at the next open
        }
    }

    /** Transactions after {@code from} up to and including {@code to}, oldest first. */
    private List<Long> transactionsBetween(long from, long to) {
        List<Long> found = new ArrayList<>();
        for (long p = to; p != from && p != LogPosition.NONE; ) {
            found.add(p);
            p = transaction(p).prevTxn;
        }
        Collections.reverse(found);
        return found;
    }

    /** The transaction record at {@code position}, its header checked (its CRC is checked when it is copied). */
    private TransactionView transaction(long position) {
        Segment segment = log.segment(LogPosition.segment(position));
        if (segment == null) {
            throw new CorruptStorageException(dir + ": the transaction chain reaches " + LogPosition.describe(position)
                    + ", which is not part of the log. Nothing changed; restore the store from a backup.");
        }
        TransactionView txn = TransactionView.read(segment, LogPosition.offset(position), log.committedEnd());
        if (txn.prevTxn < LogPosition.NONE || txn.prevTxn >= position) {
            throw segment.damaged(LogPosition.offset(position), "transaction " + txn.tid + " names "
                    + LogPosition.describe(txn.prevTxn) + " as the transaction before it");
        }
        return txn;
    }

    /** Reads a revision of {@code oid} (checked: FORMAT.md invariant (10)); pack holds the segments it reads. */
    private RevisionView revision(long position, long oid) {
        RevisionView revision = RevisionView.read(log, position, oid);
        if (revision == null) {
            throw new CorruptStorageException(dir + ": a revision of oid " + oid + " was found at "
                    + LogPosition.describe(position) + " when the log was read, but that segment is no longer part of"
                    + " the log. Nothing changed; restore the store from a backup.");
        }
        return revision;
    }

    /**
     * The revisions of {@code oid} pack keeps, newest first: those with a tid after packTid up to the pack
     * point, then the newest at or before packTid (or its oldest, when every one is newer). Empty when the
     * object did not exist at the pack point (it is copied with the transactions committed since, or gone).
     */
    private List<RevisionView> kept(long oid, long packTid, long packPointTid) {
        List<RevisionView> kept = new ArrayList<>(1);
        OidIndex.Entry entry = gate.index().get(oid);
        if (entry == null) {
            return kept;
        }
        RevisionView revision = revision(entry.position(), oid);
        while (revision.tid() > packPointTid) { // committed after the pack point: phase 3 copies it whole
            if (revision.prev() == LogPosition.NONE || revision.prev() == LogPosition.PACKED) {
                return kept;
            }
            revision = revision(revision.prev(), oid);
        }
        while (true) {
            kept.add(revision);
            if (revision.tid() <= packTid || revision.prev() == LogPosition.NONE
                    || revision.prev() == LogPosition.PACKED) {
                return kept;
            }
            revision = revision(revision.prev(), oid);
        }
    }

    /**
     * Finds what is live as of the pack point and returns, for each live oid, the position of its oldest kept
     * revision. Roots: oid 0; records the finder pins; and every object with a revision after packTid, as in
     * ZODB's fspack, where records after the pack time are roots too. From each live object the walk follows
     * the references of every revision kept of it, not only the newest: a snapshot at or after packTid may
     * read any of them, and what they name must still be there. When the store has no root yet, every
     * object is live.
     */
    private Map<Long, Long> live(long packTid, long packPointTid, ReferenceFinder references) {
        Map<Long, Long> keepFrom = new HashMap<>();
        gate.index().forEach((oid, position, tid) -> candidates.add(oid));
        boolean noRoot = kept(Storage.ROOT_OID, packTid, packPointTid).isEmpty();
        ArrayDeque<Long> todo = new ArrayDeque<>();
        todo.push(Storage.ROOT_OID);
        for (long oid : candidates) {
            List<RevisionView> kept = kept(oid, packTid, packPointTid);
            if (kept.isEmpty()) {
                continue;
            }
            if (noRoot) {
                keepFrom.put(oid, kept.get(kept.size() - 1).position());
            } else if (kept.get(0).tid() > packTid || references.pinned(kept.get(0).data())) {
                todo.push(oid); // written after packTid, or pinned (ReferenceFinder.pinned): a root
            }
        }
        if (noRoot) {
            return keepFrom;
        }
        while (!todo.isEmpty()) {
            long oid = todo.pop();
            if (keepFrom.containsKey(oid)) {
                continue;
            }
            List<RevisionView> kept = kept(oid, packTid, packPointTid);
            if (kept.isEmpty()) {
                continue; // a dangling reference: nothing to keep
            }
            keepFrom.put(oid, kept.get(kept.size() - 1).position());
            for (RevisionView revision : kept) {
                references.references(revision.data(), ref -> {
                    if (!keepFrom.containsKey(ref)) {
                        todo.push(ref);
                    }
                });
            }
        }
        return keepFrom;
    }

    /** Receives the data of every revision copied after the pack point. */
    private interface DataVisitor {
        void visit(byte[] data);
    }

    /**
     * Copies the transaction at {@code p} into the output with the revisions {@code keepFrom} keeps, or all
     * of them when it is {@code null}. A transaction with a tid at or before {@code dropEmptyUpTo} left with no
     * revision is dropped: as in ZODB's pack, its metadata goes with its last revision, so the log does not
     * grow by a header per transaction forever. The caller passes {@link Long#MIN_VALUE} for the pack point's
     * transaction, which carries the newest tid and oid counter, and for those committed after it.
     */
    private void copy(long p, Map<Long, Long> keepFrom, DataVisitor copied, long dropEmptyUpTo) {
        TransactionView txn = transaction(p);
        txn.verify(); // a damaged record must not be copied under a fresh CRC
        List<LogLayout.DataRecord> kept = new ArrayList<>();
        txn.forEachRevision((oid, tid, prev, position, length) -> {
            if (keepFrom != null) {
                Long from = keepFrom.get(oid);
                if (from == null || position < from) {
                    return; // unreachable, or older than any snapshot at or after packTid needs
                }
            }
            Long newer = head.get(oid);
            long newPrev = newer != null ? newer : prev == LogPosition.NONE ? LogPosition.NONE : LogPosition.PACKED;
            byte[] data = revision(position, oid).data();
            kept.add(new LogLayout.DataRecord(oid, newPrev, data));
            if (copied != null) {
                copied.visit(data);
            }
        });
        if (kept.isEmpty() && txn.tid <= dropEmptyUpTo) {
            return;
        }
        long[] keptOids = new long[kept.size()];
        for (int i = 0; i < keptOids.length; i++) {
            keptOids[i] = kept.get(i).oid();
        }
        int pages = OidIndex.pagesSpanned(keptOids, keptOids.length);
        if (packed.needsGrowth(pages)) {
            OidIndex old = packed;
            packed = IndexGenerations.grow(old, pages, gate.nextIndexGeneration());
            old.close();
            try {
                Files.deleteIfExists(old.file());
            } catch (IOException ignored) {
                // deleted at the next open
            }
        }
        byte[] user = LogLayout.truncatedUtf8(txn.user);
        byte[] note = LogLayout.truncatedUtf8(txn.note);
        long position = out.reserve(LogLayout.transactionSize(user, note, kept));
        int offset = LogPosition.offset(position);
        // durableAt = its own position: pack output is forced before it is used (FORMAT.md invariant (5))
        byte[] bytes = LogLayout.encodeTransaction(
                new LogLayout.TxnHeader(txn.tid, txn.timeMillis, prevTxn, position, txn.nextOid),
                txn.user, txn.note, kept, offset);
        out.write(position, bytes);
        int at = offset + LogLayout.firstDataOffset(user.length, note.length);
        long[] revisions = new long[keptOids.length];
        for (int i = 0; i < revisions.length; i++) {
            LogLayout.DataRecord r = kept.get(i);
            revisions[i] = LogPosition.of(LogPosition.segment(position), at);
            head.put(r.oid(), revisions[i]);
            at += LogLayout.DATA_HEADER_SIZE + r.data().length;
        }
        packed.putAll(keptOids, revisions, revisions.length, txn.tid); // one write per page
        prevTxn = position;
    }
}

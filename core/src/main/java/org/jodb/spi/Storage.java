package org.jodb.spi;

import java.util.Iterator;
import java.util.List;

/**
 * What a storage provides to jodb: records of bytes keyed by object id (oid), each revision stamped
 * with the id of the transaction that wrote it (tid). A storage never sees a Java object; it knows
 * oids, tids, bytes and transaction metadata.
 *
 * <p>A storage may be used by one process (the file store locks its directory) or shared by several
 * processes at once (a database server). Every promise below holds across all the processes that use one
 * storage, not only within the JVM that calls: a storage shared by several processes keeps it with what they
 * share (its server), never with what one JVM holds in memory.
 *
 * <h2>Identifiers</h2>
 * <ul>
 *   <li>An <b>oid</b> is a positive {@code long} handed out by {@link #newOid()}; oid {@value #ROOT_OID}
 *       is the root object and always exists once the database has been initialised by core. Oids are
 *       never reused, and no two calls of {@link #newOid()}, in any process, ever return the same one.</li>
 *   <li>A <b>tid</b> is a {@code long} that strictly increases with every committed transaction, in the
 *       order the commits become visible, whichever process committed them; the storage chooses it at
 *       {@link StorageTransaction#vote()} (a copy keeps its source's, {@link #tpcBeginCopy}). A clock may
 *       inspire a tid, never decide it alone: two processes' clocks disagree. {@link #NO_TID} (0) means
 *       "never committed" and is the serial a writer passes for a new object.</li>
 * </ul>
 *
 * <h2>Reading (MVCC)</h2>
 * A reader fixes a snapshot with {@link #lastTid()} and reads every object with
 * {@link #loadAt(long, long)} at that tid, so that it sees one consistent state however many
 * transactions commit meanwhile, in any process. Revisions stay readable until {@link #pack} drops them. A
 * connection does this through one {@link StorageView} ({@link #openView()}), which also tells it at each
 * transaction boundary what others committed: the default view learns it from {@link #transactionsAfter}; a
 * storage shared by several processes implements its own view, whose {@link StorageView#poll()} reports the
 * commits of every process.
 *
 * <h2>Writing: two-phase commit</h2>
 * Exactly this call order, on one thread, per transaction:
 * <ol>
 *   <li>{@link #tpcBegin(TransactionMetadata, ConflictResolver)} returns a {@link StorageTransaction}; it
 *       may wait for another transaction's vote/finish to end, but never while user code runs.</li>
 *   <li>{@link StorageTransaction#store} for each changed object, with the serial (tid) the writer read,
 *       and {@link StorageTransaction#checkCurrent} for objects that must not have changed.</li>
 *   <li>{@link StorageTransaction#vote()} does all the work that can fail: the conflict checks against what
 *       every process committed, and the write of the data, not yet visible. The storage holds its commit
 *       lock (shared by every process) from here until finish or abort. Throws {@link
 *       StorageConflictException} when an object changed since the serial given and the resolver could not
 *       merge it.</li>
 *   <li>{@link StorageTransaction#finish()} makes the transaction visible and durable (as the storage's
 *       durability mode promises) and returns its tid. It fails only once the outcome is settled: see
 *       {@link StorageTransaction#finish()}.</li>
 *   <li>{@link StorageTransaction#abort()} at any point before finish forgets everything; it must
 *       never fail and may be called more than once.</li>
 * </ol>
 *
 * <h2>Thread safety</h2>
 * All methods of a storage are safe to call from many threads at once, whatever the storage holds to serve
 * them (a storage that talks to a server through connections that serve one thread at a time keeps one per
 * view, or a pool). Loads never block behind a commit. A {@link StorageView} and a {@link StorageTransaction}
 * are not: each serves one thread at a time.
 *
 * @see MemoryStorage the reference implementation
 */
public interface Storage extends AutoCloseable {

    /** The root object's oid. */
    long ROOT_OID = 0L;

    /** The serial of an object that was never committed, and the tid of an empty storage. */
    long NO_TID = 0L;

    /** A short name for messages and sort keys, e.g. the file path or {@code "memory"}. */
    String name();

    /**
     * Allocates a new oid, never returned before: not by this storage object, not across restarts, and, for a
     * storage shared by several processes, not to any other process (the allocation is made where they all
     * see it, e.g. a sequence on the server, possibly in blocks). Oids allocated by a transaction that aborts
     * are simply unused.
     */
    long newOid();

    /**
     * The tid of the last committed transaction, by any process, or {@link #NO_TID} for an empty storage: every
     * commit whose finish returned before this call (in any process) is at or before it.
     */
    long lastTid();

    /**
     * The current revision of an object.
     *
     * @return the revision, or {@code null} if the object does not exist (never stored, or packed away)
     */
    Revision load(long oid);

    /**
     * The revision of an object that was current at snapshot {@code tid}: the newest revision whose
     * tid is {@code <= tid}.
     *
     * @return that revision, or {@code null} when the object did not exist at {@code tid}
     * @throws StorageException when the revision needed was removed by {@link #pack}, or {@code tid} is older
     *         than {@link #oldestSnapshot()}
     */
    Revision loadAt(long oid, long tid);

    /**
     * The revisions of many objects current at snapshot {@code tid}, in one call: what {@link #loadAt} answers
     * for each oid, at the same index of the array returned (the order asked, whatever order the storage read
     * them in). An oid may be asked more than once; each place gets its answer.
     *
     * <ul>
     *   <li>An object that did not exist at {@code tid} gets {@code null}, as from {@link #loadAt}.</li>
     *   <li>One oid that fails fails the whole call: a {@link StorageException} (a {@link
     *       CorruptStorageException} for damage) whose message names that oid, and no revision is returned,
     *       so that a caller applies all of the answers or none.</li>
     *   <li>No oids, no answers: an empty array.</li>
     * </ul>
     * Meant for a caller that needs many records at once (filling many ghosts, walking a tree's bucket): a
     * storage serves it with fewer round trips or in the order of its files. This default asks {@link #loadAt}
     * for each oid in turn.
     *
     * @throws StorageException when one of the loads fails, naming its oid; or {@code tid} is older than
     *         {@link #oldestSnapshot()}
     * @throws IllegalStateException when the storage is closed
     */
    default Revision[] loadAllAt(long[] oids, long tid) {
        return BatchLoads.oneByOne(oids, oid -> loadAt(oid, tid));
    }

    /**
     * Whether each {@link #loadAt} costs a round trip to a server, so that loading records in one {@link
     * #loadAllAt} before they are used pays even when not all of them will be. Containers ask before they
     * prefetch on their own (a large {@code PersistentMap}'s iteration loads each chunk's values at once); an
     * application's {@code Connection.prefetch} always loads in a batch. False by default: a storage in the
     * process's memory or files serves a single load for less than a batch's bookkeeping costs per record.
     */
    default boolean loadsAreRemote() {
        return false;
    }

    /**
     * The oldest snapshot {@link #loadAt} still serves: {@link #pack} removed revisions that snapshots older
     * than this tid need, and {@link #loadAt} at one fails with a {@link StorageException}. {@link #NO_TID}
     * when no pack is known to have removed any. Only grows.
     *
     * <p>A storage that does not record its packs in its files answers for the packs it ran since it was
     * opened, raised by what its reads find removed: after a reopen, a read at an older snapshot can still be
     * the first to meet a removed revision (and fail). This default knows of no pack.
     */
    default long oldestSnapshot() {
        return NO_TID;
    }

    /**
     * The oids written by each transaction committed after {@code tid}, by any process, oldest first; used to
     * invalidate cached objects at a transaction boundary.
     */
    List<CommittedTransaction> transactionsAfter(long tid);

    /**
     * A view for one connection, its snapshot at {@link #lastTid()}; see {@link StorageView} for the contract.
     * This default serves a storage that sees every commit in its own process: its polls ask
     * {@link #transactionsAfter}, its loads {@link #loadAt}. A storage shared by several processes overrides it.
     *
     * @throws IllegalStateException when the storage is closed
     */
    default StorageView openView() {
        return new DefaultStorageView(this, lastTid(), false);
    }

    /**
     * A view whose snapshot is {@code atTid} and never moves (its polls report nothing), for reading the
     * database as it was then. Not checked against {@link #oldestSnapshot()} here: its loads fail once pack has
     * passed {@code atTid}.
     */
    default StorageView openView(long atTid) {
        if (atTid < NO_TID) {
            throw new IllegalArgumentException("a snapshot tid is >= " + NO_TID + ": " + atTid);
        }
        return new DefaultStorageView(this, atTid, true);
    }

    /**
     * Begins the two-phase commit of one transaction.
     *
     * @param resolver asked at vote to merge a write that conflicts with a newer committed revision;
     *                 {@link ConflictResolver#NONE} to never resolve
     */
    StorageTransaction tpcBegin(TransactionMetadata metadata, ConflictResolver resolver);

    /**
     * Revisions of an object, newest first, at most {@code max} of them.
     */
    List<RevisionInfo> history(long oid, int max);

    /**
     * Removes revisions that no snapshot at or after {@code packTid} can read, and every object that no
     * such snapshot can reach from {@link #ROOT_OID}, following references reported by {@code references}:
     * objects referred to by any kept revision (not only the newest), by a record the finder pins, or
     * written after {@code packTid}, are kept. Readers and writers may continue while it runs.
     *
     * <p>A transaction with a tid at or before {@code packTid} of which no revision is kept is dropped with its
     * metadata, as in ZODB's pack: {@link #transactionsAfter} and {@link #history} no longer list it. The newest
     * transaction is always kept ({@link #lastTid} never goes back).
     *
     * <p>A connection may still hold an object pack removed and link it again. From then on, until the
     * storage is closed, {@link StorageTransaction#vote()} checks the records it writes with the finder of
     * the last pack and throws {@link DanglingReferenceException} (a {@link StorageConflictException})
     * instead of committing a reference to a removed object. Before any pack removed something, vote pays
     * nothing for this.
     */
    void pack(long packTid, ReferenceFinder references);

    /**
     * The finder of the references in this database's records, given once by the database that opens this
     * storage, before its first transaction (the same finder {@link #pack} is given). A storage that several
     * processes share uses it to refuse, at vote, a record that refers to an object another process's pack
     * removed, as {@link #pack} says for its own; a storage of one process needs nothing of it (the default does
     * nothing).
     */
    default void useReferenceFinder(ReferenceFinder references) {
    }

    /**
     * Closes the storage; further calls throw {@link IllegalStateException}. Idempotent.
     */
    @Override
    void close();

    /**
     * Every committed transaction with a tid {@code > afterTid}, oldest first, with the records the storage
     * holds for it: what a copy into another storage reads ({@link StorageCopy}).
     *
     * <ul>
     *   <li>Lazy: the iterator reads one transaction's records at a time, so that a storage larger than memory
     *       can be walked; a caller that stops early pays only for what it read.</li>
     *   <li>It lists at least every transaction committed before the call; one committed during the walk may
     *       be listed or not (call again with the last tid seen for the rest).</li>
     *   <li>After a {@link #pack}, only what the storage still holds: a transaction pack dropped is not listed,
     *       and a kept one lists only its kept records ({@link TransactionInfo#oids()} names them).</li>
     *   <li>A pack running during the walk changes nothing of what the walk lists but may drop what it has not
     *       reached yet.</li>
     * </ul>
     *
     * @throws StorageException when the storage cannot be read (also from the iterator's {@code hasNext} and
     *         {@code next}); a {@link CorruptStorageException} for damage
     * @throws IllegalStateException when the storage is closed (also from the iterator)
     */
    Iterator<TransactionRecords> transactions(long afterTid);

    /**
     * Begins a two-phase commit that writes a transaction copied from another storage, keeping its tid, time,
     * user and note ({@link StorageCopy}). The transaction returned differs from {@link #tpcBegin}'s:
     * <ul>
     *   <li>{@link StorageTransaction#store} takes each record as is: its serial is ignored (no conflict check,
     *       no resolver);</li>
     *   <li>{@link StorageTransaction#checkCurrent} is refused ({@link IllegalStateException});</li>
     *   <li>{@link StorageTransaction#vote()} refuses, with a {@link StorageException} naming both tids, a
     *       {@code transaction.tid()} that is not greater than {@link #lastTid()} (tids only grow);</li>
     *   <li>{@link StorageTransaction#finish()} returns exactly {@code transaction.tid()}, and the commit keeps
     *       {@code transaction.timeMillis()}, {@code user()} and {@code note()} ({@link #history} reports
     *       them);</li>
     *   <li>from the vote on, {@link #newOid()} returns oids above every oid stored in it.</li>
     * </ul>
     * Otherwise it commits as any transaction does (the same durability, recovery, visibility and commit lock).
     * {@code transaction.oids()} is informative: the records are those stored.
     *
     * @throws IllegalStateException when the storage is closed
     */
    StorageTransaction tpcBeginCopy(TransactionInfo transaction);

    /**
     * The committed transactions with a tid below {@code beforeTid}, <b>newest first</b>, at most {@code max}
     * of them: what an undo log and a log of who changed what read. Pass {@link Long#MAX_VALUE} to start from
     * the newest, and the tid of the last one received to page further back.
     *
     * <ul>
     *   <li>Each names the oids of the records the storage holds for that transaction, in the order of its
     *       records (a storage that keeps no such order: by oid). After a {@link #pack}: a transaction the pack dropped is not listed, and one it kept names
     *       only the records it kept (as {@link #history} lists only kept revisions).</li>
     *   <li>A snapshot: it lists transactions committed before the call, never one whose commit is not
     *       finished; one that finishes during the call may be missing.</li>
     *   <li>Metadata as committed: time in milliseconds since the epoch, user and note as given to
     *       {@link #tpcBegin} ({@code ""} for none).</li>
     * </ul>
     * A storage may walk its log back from the newest transaction: the cost grows with the number of
     * transactions at or after {@code beforeTid} plus {@code max}.
     *
     * @throws IllegalArgumentException when {@code max} is negative
     * @throws IllegalStateException when the storage is closed
     */
    List<TransactionInfo> transactionLog(long beforeTid, int max);
}

package org.jodb.storage;

import java.util.Arrays;
import java.util.List;

import org.jodb.spi.CommittedTransaction;
import org.jodb.storage.internal.index.OidIndex;

/**
 * The index entries a vote needs for the objects a transaction read (its updates and its read-current
 * checks), looked up before the vote takes the commit lock, so that writers waiting for the lock do not also
 * wait for each other's index lookups. Under the lock, {@link #confirm} keeps an entry only where no commit
 * can have changed it since: the index is the same one (no growth, pack or rebuild swapped it), it is
 * verified, and no commit after the last tid seen before the lookups wrote the oid (the recent commits list
 * every oid they wrote). Anything else is looked up again under the lock, as without this class.
 *
 * <p>Why that is enough: a commit publishes its index entries before it advances the last tid, under the
 * commit lock; so once the last tid read before the lookups is {@code t}, the index holds the entries of
 * every commit up to {@code t}, and only a commit after {@code t} can have changed one since. Under the lock
 * every such commit has finished publishing, so the recent commits list all of them (or say they cannot,
 * and then nothing is kept).
 *
 * <p>Used by one {@link FileTransaction}'s thread.
 */
final class EarlyLookups {
    /** Looks nothing up: every entry is asked under the lock. */
    static final EarlyLookups NONE = new EarlyLookups(null, 0);

    /** The index looked into, or null when nothing was. */
    private final OidIndex index;
    /** The last tid before the lookups. */
    private final long asOf;
    /** The oids looked up, ascending, each once. */
    private long[] oids = new long[0];
    /** {@code found[i]}: the entry found for {@code oids[i]} (null for none). */
    private OidIndex.Entry[] found = new OidIndex.Entry[0];
    /**
     * After {@link #confirm}: {@code kept[i]} when no commit since {@link #asOf} wrote {@code oids[i]}; all false
     * when nothing may be kept.
     */
    private boolean[] kept = new boolean[0];

    private EarlyLookups(OidIndex index, long asOf) {
        this.index = index;
        this.asOf = asOf;
    }

    /**
     * Looks up {@code oids} (not locked). A failure of the index is left for the lookups under the lock to
     * meet and handle (healing, or a clear error): nothing found here is kept then.
     */
    static EarlyLookups of(CommitGate gate, long[] oids) {
        long asOf = gate.lastTid(); // before the index and its entries: see the class comment
        OidIndex index = gate.index();
        if (!index.verified()) {
            return NONE; // its entries are checked against the log under the lock
        }
        EarlyLookups early = new EarlyLookups(index, asOf);
        early.oids = BatchReads.distinct(oids);
        int distinct = early.oids.length;
        early.found = new OidIndex.Entry[distinct];
        early.kept = new boolean[distinct];
        try {
            for (int i = 0; i < distinct; i++) {
                early.found[i] = index.get(early.oids[i]);
            }
        } catch (RuntimeException failed) {
            return NONE;
        }
        return early;
    }

    /**
     * Decides, under the commit lock, which entries found early are still current. The commits since {@link
     * #asOf} can be many (one per other writer), each with its oids; the oids looked up are few: each committed
     * oid is sought among them, with nothing allocated.
     */
    void confirm(CommitGate gate) {
        Arrays.fill(kept, false);
        if (index == null || gate.index() != index || !index.verified()) {
            return;
        }
        List<CommittedTransaction> since = gate.commitsAfter(asOf);
        if (since == null) {
            return;
        }
        Arrays.fill(kept, true);
        for (CommittedTransaction c : since) {
            for (long oid : c.oids()) {
                int i = Arrays.binarySearch(oids, oid);
                if (i >= 0) {
                    kept[i] = false;
                }
            }
        }
    }

    /**
     * The current entry of {@code oid} (commit lock held, after {@link #confirm}): the one found early when it
     * is still current, else {@link CommitGate#current}.
     */
    OidIndex.Entry current(CommitGate gate, long oid, long serial) {
        int i = Arrays.binarySearch(oids, oid);
        if (i >= 0 && kept[i]) {
            return found[i];
        }
        return gate.current(oid, serial);
    }
}

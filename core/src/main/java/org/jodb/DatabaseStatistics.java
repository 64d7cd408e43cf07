package org.jodb;

/**
 * What a {@link Database} did since it was opened, as of one moment ({@link Database#statistics()}): for
 * operators, dashboards and tests. Counters only grow; take the difference of two with {@link #minus} for
 * a period. Like Caffeine's {@code CacheStats}, an immutable value.
 *
 * @param commits          transactions that wrote to the storage through this database and committed
 * @param conflicts        commits refused at vote by a conflict the storage could not resolve
 *                         ({@link ConflictException}, {@link ReadConflictException})
 * @param retries          failed attempts of {@code TransactionManager.run} (or {@code attempts()}) in which a
 *                         connection of this database took part, retried because the failure was retryable
 * @param giveUps          such attempts whose failure was retryable but no attempt was left: the work failed
 * @param recordsLoaded    records read from the storage by this database's connections (their transfer counts)
 * @param recordsStored    records handed to the storage by their commits
 * @param cacheHits        lookups of an object by oid (a reference in a record being read, {@code Connection.get})
 *                         answered by a connection's cache without a storage read; each record loaded is a miss
 * @param cachedObjects    loaded objects in the caches of the open and pooled connections, as of each one's last
 *                         transaction boundary
 * @param openConnections  connections open now
 * @param packs            packs ended (done or failed)
 * @param packsRunning     packs running now
 */
public record DatabaseStatistics(long commits, long conflicts, long retries, long giveUps, long recordsLoaded,
        long recordsStored, long cacheHits, long cachedObjects, int openConnections, long packs, int packsRunning) {

    /**
     * The share of object lookups the caches answered: {@code cacheHits / (cacheHits + recordsLoaded)}; 1.0
     * when there was no lookup (as Caffeine reports it).
     */
    public double cacheHitRate() {
        long requests = cacheHits + recordsLoaded;
        return requests == 0 ? 1.0 : (double) cacheHits / requests;
    }

    /**
     * What happened between {@code earlier} and this: each counter's difference (never below zero); the figures
     * that describe a moment ({@code cachedObjects}, {@code openConnections}, {@code packsRunning}) are this one's.
     */
    public DatabaseStatistics minus(DatabaseStatistics earlier) {
        return new DatabaseStatistics(less(commits, earlier.commits), less(conflicts, earlier.conflicts),
                less(retries, earlier.retries), less(giveUps, earlier.giveUps),
                less(recordsLoaded, earlier.recordsLoaded), less(recordsStored, earlier.recordsStored),
                less(cacheHits, earlier.cacheHits), cachedObjects, openConnections, less(packs, earlier.packs),
                packsRunning);
    }

    private static long less(long now, long before) {
        return Math.max(0, now - before);
    }
}

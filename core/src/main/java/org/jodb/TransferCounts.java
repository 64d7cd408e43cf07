package org.jodb;

/**
 * How many records a connection loaded from its storage and stored into it since it was opened or its
 * counts were last reset ({@link Connection#transferCounts()}; ZODB's {@code getTransferCounts}). A load
 * is one record read from the storage: filling a ghost, or {@link Connection#get} of an object not in the
 * cache; an object found in the cache, or filled again from the transaction's own savepoint data, costs
 * none. A store is one record written by a commit.
 *
 * @param loads records read from the storage
 * @param stores records written by commits
 */
public record TransferCounts(long loads, long stores) {
}

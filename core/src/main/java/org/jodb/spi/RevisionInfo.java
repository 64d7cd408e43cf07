package org.jodb.spi;

/**
 * What {@link Storage#history} says of one revision.
 *
 * @param tid        the transaction that wrote it
 * @param timeMillis when that transaction committed, in milliseconds since the epoch
 * @param user       the transaction's user, {@code ""} if none
 * @param note       the transaction's description, {@code ""} if none
 * @param size       the record's length in bytes
 */
public record RevisionInfo(long tid, long timeMillis, String user, String note, int size) {
}

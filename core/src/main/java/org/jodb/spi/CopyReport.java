package org.jodb.spi;

/**
 * What a {@link StorageCopy#copy} or {@link StorageCopy#verify} did.
 *
 * @param afterTid        the copy took the source's transactions after this tid ({@link Storage#NO_TID} for a copy
 *                        into an empty storage and for a verification, which starts at the beginning)
 * @param lastTid         the target's last transaction when it ended
 * @param transactions    transactions copied (a verification: compared)
 * @param records         records copied (compared)
 * @param bytes           bytes of those records
 * @param firstDifference the first difference found between the source and the target, in words naming the tid
 *                        (and oid), or {@code null} when they hold the same transactions and records
 */
public record CopyReport(long afterTid, long lastTid, long transactions, long records, long bytes,
                         String firstDifference) {

    /** Whether the target holds exactly the source's transactions, metadata and records. */
    public boolean matches() {
        return firstDifference == null;
    }
}

package org.jodb.spi;

/**
 * What a storage keeps of one committed transaction: its tid, when it committed, who committed it and why, and
 * the oids of the records it holds. What an undo log, a copy between storages and the {@code jodb log} command
 * read. After a pack, {@code oids} names only the records the storage still holds for that transaction.
 *
 * @param tid        the transaction's id
 * @param timeMillis when it committed, in milliseconds since the epoch
 * @param user       its user, {@code ""} if none
 * @param note       its description, {@code ""} if none
 * @param oids       the oids it wrote that the storage still holds, in the order of its records (a storage
 *                   that keeps no such order, such as PostgreSQL's: by oid); the caller must not change the array
 */
public record TransactionInfo(long tid, long timeMillis, String user, String note, long[] oids) {

    public TransactionInfo {
        user = user == null ? "" : user;
        note = note == null ? "" : note;
        if (oids == null) {
            throw new IllegalArgumentException("oids is null: pass an empty array for a transaction without records");
        }
    }
}

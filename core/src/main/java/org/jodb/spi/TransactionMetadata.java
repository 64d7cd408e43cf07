package org.jodb.spi;

/**
 * What a storage records of a transaction beside its data.
 *
 * @param user user name, {@code ""} if none
 * @param note description, {@code ""} if none
 */
public record TransactionMetadata(String user, String note) {
    /** Null user or note becomes {@code ""}. */
    public TransactionMetadata {
        user = user == null ? "" : user;
        note = note == null ? "" : note;
    }
}

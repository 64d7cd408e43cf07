package org.jodb;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One committed transaction as {@link Database#undoLog(int)} lists it (ZODB's transaction description): which
 * transaction, when, who, why, and the objects it wrote. Pass its {@link #tid} to {@link Database#undo(long)}.
 * Immutable.
 *
 * @param tid   the transaction's id, what {@link Database#undo(long)} takes
 * @param time  when it committed
 * @param user  the user its transaction recorded ({@code Transaction.setUser}), {@code ""} if none
 * @param note  its description ({@code Transaction.note}), {@code ""} if none
 * @param oids  the oids of the objects it wrote that the storage still holds, in the order written; besides
 *              the application's objects, this includes the records jodb keeps for itself (the parts of a large
 *              map or a B-tree, the names of classes first stored then)
 */
public record TransactionDescription(long tid, Instant time, String user, String note, List<Long> oids) {

    public TransactionDescription {
        Objects.requireNonNull(time, "time");
        user = user == null ? "" : user;
        note = note == null ? "" : note;
        oids = List.copyOf(oids);
    }
}

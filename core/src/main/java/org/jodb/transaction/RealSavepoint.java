package org.jodb.transaction;

import java.util.ArrayList;
import java.util.List;

/**
 * A transaction's savepoint: the parts of every data manager plus validity, which the parts lack.
 * Invariants: (1) {@code index} is unique and increasing within the transaction; (2) once
 * {@code invalidation} is set it never changes; (3) {@code parts} only grows, by
 * {@link AbortSavepoint}s of data managers that join later.
 */
final class RealSavepoint implements Savepoint {
    private final RealTransaction transaction;
    /** 1 for the transaction's first savepoint, then 2, 3… */
    final int index;
    /** One part per data manager joined when taken, then one per data manager that joined later. */
    private final List<DataManagerSavepoint> parts;
    /** Why this savepoint is invalid, e.g. "was invalidated by rolling back savepoint 1"; null while valid. */
    private String invalidation;

    RealSavepoint(RealTransaction transaction, int index, List<DataManagerSavepoint> parts) {
        this.transaction = transaction;
        this.index = index;
        this.parts = new ArrayList<>(parts);
    }

    @Override
    public void rollback() {
        transaction.checkOwner();
        if (invalidation != null) {
            throw new InvalidSavepointException("savepoint " + index + " " + invalidation
                    + "; roll back to a valid savepoint or take a new one");
        }
        transaction.rollbackTo(this);
    }

    @Override
    public boolean isValid() {
        return invalidation == null;
    }

    void invalidate(String why) {
        if (invalidation == null) {
            invalidation = why;
        }
    }

    void addPart(DataManagerSavepoint part) {
        parts.add(part);
    }

    /** A copy: rolling back a part may unjoin a data manager, which must not disturb the walk. */
    List<DataManagerSavepoint> parts() {
        return new ArrayList<>(parts);
    }

    @Override
    public String toString() {
        return "Savepoint " + index + (invalidation == null ? "" : " (" + invalidation + ")");
    }
}

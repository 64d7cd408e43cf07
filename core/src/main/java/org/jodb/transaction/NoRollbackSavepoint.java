package org.jodb.transaction;

/**
 * The part of an optimistic savepoint for a data manager that cannot take savepoints: taking it
 * succeeds, rolling it back fails with an error naming the data manager, as in ZODB.
 */
final class NoRollbackSavepoint implements DataManagerSavepoint {
    private final DataManager dataManager;

    NoRollbackSavepoint(DataManager dataManager) {
        this.dataManager = dataManager;
    }

    @Override
    public void rollback() {
        throw new SavepointsUnsupportedException("cannot roll back an optimistic savepoint: data manager "
                + dataManager + " does not support savepoints; abort the transaction and redo the work");
    }
}

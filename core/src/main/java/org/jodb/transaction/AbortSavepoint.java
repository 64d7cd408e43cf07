package org.jodb.transaction;

/**
 * The part of a savepoint for a data manager that joined after the savepoint was taken: it had no state
 * in the transaction then, so rolling back means aborting it and taking it out of the transaction
 * (it joins again on its next change). One instance is shared by every savepoint that was live when the data manager
 * joined.
 */
final class AbortSavepoint implements DataManagerSavepoint {
    private final DataManager dataManager;
    private final RealTransaction transaction;

    AbortSavepoint(DataManager dataManager, RealTransaction transaction) {
        this.dataManager = dataManager;
        this.transaction = transaction;
    }

    @Override
    public void rollback() {
        dataManager.abort(transaction);
        transaction.unjoin(dataManager);
    }
}

package org.jodb.transaction;

import java.util.ArrayList;
import java.util.List;

/** A synchronizer that records its calls as "newTransaction", "beforeCompletion", "afterCompletion". */
class RecordingSynchronizer implements Synchronizer {
    final List<String> calls = new ArrayList<>();
    final List<Transaction> transactions = new ArrayList<>();
    private final List<String> journal;

    RecordingSynchronizer(List<String> journal) {
        this.journal = journal;
    }

    RecordingSynchronizer() {
        this(new ArrayList<>());
    }

    private void record(String call, Transaction txn) {
        calls.add(call);
        transactions.add(txn);
        journal.add("sync." + call);
    }

    @Override
    public void newTransaction(Transaction txn) {
        record("newTransaction", txn);
    }

    @Override
    public void beforeCompletion(Transaction txn) {
        record("beforeCompletion", txn);
    }

    @Override
    public void afterCompletion(Transaction txn) {
        record("afterCompletion", txn);
    }
}

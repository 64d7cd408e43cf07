package org.jodb.transaction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A dictionary-backed data manager that records every call it receives (like transaction's
 * {@code savepointsample.py}). Writing a key joins the manager's current transaction once; commit makes
 * the working copy the committed one, abort throws the working copy away. It supports savepoints unless
 * built by {@link #withoutSavepoints}. Calls can be made to fail with {@link #failOn}.
 */
class SampleDataManager implements DataManager {
    private final String name;
    private final TransactionManager manager;
    private final boolean savepoints;
    /** Calls of this data manager, e.g. "tpcBegin"; also appended to {@code journal} as "name.tpcBegin". */
    final List<String> calls = new ArrayList<>();
    private final List<String> journal;
    private final Map<String, RuntimeException> failures = new HashMap<>();
    private final Map<String, Object> committed = new HashMap<>();
    private Map<String, Object> working = new HashMap<>();
    /** The transaction this data manager joined, null when not joined (it tracks joining itself). */
    private Transaction joined;

    SampleDataManager(String name, TransactionManager manager, List<String> journal) {
        this(name, manager, journal, true);
    }

    SampleDataManager(String name, TransactionManager manager) {
        this(name, manager, new ArrayList<>(), true);
    }

    private SampleDataManager(String name, TransactionManager manager, List<String> journal, boolean savepoints) {
        this.name = name;
        this.manager = manager;
        this.journal = journal;
        this.savepoints = savepoints;
    }

    static SampleDataManager withoutSavepoints(String name, TransactionManager manager, List<String> journal) {
        return new SampleDataManager(name, manager, journal, false);
    }

    /** Makes {@code call} ("abort", "tpcVote", "savepoint", "rollback", …) throw {@code failure} from now on. */
    SampleDataManager failOn(String call, RuntimeException failure) {
        failures.put(call, failure);
        return this;
    }

    void heal() {
        failures.clear();
    }

    void put(String key, Object value) {
        Transaction txn = manager.get();
        if (joined != txn) {
            txn.join(this);
            joined = txn;
        }
        working.put(key, value);
    }

    Object get(String key) {
        return working.get(key);
    }

    Object committed(String key) {
        return committed.get(key);
    }

    boolean isJoined() {
        return joined != null;
    }

    private void record(String call) {
        calls.add(call);
        journal.add(name + "." + call);
        RuntimeException failure = failures.get(call);
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void abort(Transaction txn) {
        record("abort");
        working = new HashMap<>(committed);
        joined = null;
    }

    @Override
    public void tpcBegin(Transaction txn) {
        record("tpcBegin");
    }

    @Override
    public void commit(Transaction txn) {
        record("commit");
    }

    @Override
    public void tpcVote(Transaction txn) {
        record("tpcVote");
    }

    @Override
    public void tpcFinish(Transaction txn) {
        record("tpcFinish");
        committed.clear();
        committed.putAll(working);
        joined = null;
    }

    @Override
    public void tpcAbort(Transaction txn) {
        record("tpcAbort");
        working = new HashMap<>(committed);
        joined = null;
    }

    @Override
    public String sortKey() {
        return name;
    }

    @Override
    public DataManagerSavepoint savepoint() {
        if (!savepoints) {
            throw new SavepointsUnsupportedException(name + " cannot take savepoints");
        }
        record("savepoint");
        Map<String, Object> state = new HashMap<>(working);
        return () -> {
            record("rollback");
            working = new HashMap<>(state);
        };
    }

    @Override
    public String toString() {
        return "SampleDataManager " + name;
    }
}

package org.jodb.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A data manager can say in three ways that it cannot take savepoints, and all three get ZODB's behaviour:
 * a savepoint of the transaction throws {@link SavepointsUnsupportedException} and fails the transaction;
 * an optimistic one succeeds, its rollback throws that exception; the data manager's commit after an
 * optimistic savepoint works.
 */
class DataManagersWithoutSavepointsTest {

    /** The three shapes, each recording its calls into the given journal. */
    static Stream<Arguments> shapes() {
        Function<List<String>, DataManager> leavesItOut = LeavesSavepointOut::new;
        Function<List<String>, DataManager> proxyAnswersNull = DataManagersWithoutSavepointsTest::proxyAnsweringNull;
        Function<List<String>, DataManager> throwsUnsupported = ThrowsUnsupported::new;
        return Stream.of(Arguments.of("does not implement savepoint()", leavesItOut),
                Arguments.of("a reflect.Proxy whose savepoint() returns null", proxyAnswersNull),
                Arguments.of("savepoint() throws SavepointsUnsupportedException", throwsUnsupported));
    }

    private final TransactionManager tm = new TransactionManager();
    private final List<String> journal = new ArrayList<>();

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void aSavepointFailsTheTransaction(String shape, Function<List<String>, DataManager> make) {
        DataManager plain = make.apply(journal);
        Transaction txn = tm.get();
        txn.join(plain);
        SavepointsUnsupportedException e = assertThrows(SavepointsUnsupportedException.class, tm::savepoint);
        assertTrue(e.getMessage().contains("data manager plain cannot take savepoints"), e.getMessage());
        assertTrue(e.getMessage().contains("savepoint(true)"), e.getMessage());
        assertEquals(TransactionStatus.COMMIT_FAILED, txn.status());
        assertEquals(List.of("abort", "tpcAbort"), journal, "the failed savepoint aborts the data manager at once");
        TransactionFailedException again = assertThrows(TransactionFailedException.class, tm::commit);
        assertTrue(again.getCause() instanceof SavepointsUnsupportedException);
        tm.abort();
        tm.commit();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void anOptimisticSavepointSucceedsAndItsRollbackFails(String shape, Function<List<String>, DataManager> make) {
        DataManager plain = make.apply(journal);
        Transaction txn = tm.get();
        txn.join(plain);
        Savepoint sp = tm.savepoint(true);
        assertNotNull(sp);
        assertTrue(sp.isValid());
        SavepointsUnsupportedException e = assertThrows(SavepointsUnsupportedException.class, sp::rollback);
        assertTrue(e.getMessage().contains("optimistic"), e.getMessage());
        assertTrue(e.getMessage().contains("plain"), e.getMessage());
        assertEquals(TransactionStatus.COMMIT_FAILED, txn.status(), "a failed rollback fails the transaction");
        tm.abort();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void itCommitsAfterAnOptimisticSavepoint(String shape, Function<List<String>, DataManager> make) {
        DataManager plain = make.apply(journal);
        tm.get().join(plain);
        tm.savepoint(true);
        tm.commit();
        assertEquals(List.of("tpcBegin", "commit", "tpcVote", "tpcFinish"), journal);
    }

    /** Written to the contract's list of methods alone: no savepoint() of its own. */
    private static class LeavesSavepointOut implements DataManager {
        final List<String> calls;

        LeavesSavepointOut(List<String> calls) {
            this.calls = calls;
        }

        @Override public void abort(Transaction txn) { calls.add("abort"); }
        @Override public void tpcBegin(Transaction txn) { calls.add("tpcBegin"); }
        @Override public void commit(Transaction txn) { calls.add("commit"); }
        @Override public void tpcVote(Transaction txn) { calls.add("tpcVote"); }
        @Override public void tpcFinish(Transaction txn) { calls.add("tpcFinish"); }
        @Override public void tpcAbort(Transaction txn) { calls.add("tpcAbort"); }
        @Override public String sortKey() { return "plain"; }
        @Override public String toString() { return "plain"; }
    }

    /** Says so by throwing, as a data manager that once could and now cannot might. */
    private static final class ThrowsUnsupported extends LeavesSavepointOut {
        ThrowsUnsupported(List<String> calls) {
            super(calls);
        }

        @Override
        public DataManagerSavepoint savepoint() {
            throw new SavepointsUnsupportedException("plain keeps no undo log");
        }
    }

    /**
     * A dynamic proxy whose handler implements the listed methods, answers null for savepoint() (it has
     * none), and lets the interface's default methods answer for themselves.
     */
    private static DataManager proxyAnsweringNull(List<String> calls) {
        InvocationHandler handler = (proxy, method, args) -> {
            switch (method.getName()) {
                case "abort": case "tpcBegin": case "commit": case "tpcVote": case "tpcFinish": case "tpcAbort":
                    calls.add(method.getName());
                    return null;
                case "sortKey": case "toString":
                    return "plain";
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                case "savepoint":
                    return null;
                default:
                    return method.isDefault() ? InvocationHandler.invokeDefault(proxy, method, args) : null;
            }
        };
        return (DataManager) Proxy.newProxyInstance(DataManager.class.getClassLoader(),
                new Class<?>[] {DataManager.class}, handler);
    }
}

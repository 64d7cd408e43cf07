package org.jodb.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The static facade works on the calling thread's manager. */
class TransactionsTest {

    @AfterEach
    void leaveTheThreadsManagerClean() {
        TransactionManager tm = Transactions.manager();
        tm.current().ifPresent(Transaction::abort);
        tm.setExplicit(false);
    }

    @Test
    void facadeDelegatesToTheThreadLocalManager() {
        SampleDataManager dm = new SampleDataManager("a", TransactionManager.threadLocal());
        assertFalse(Transactions.isActive());
        assertTrue(Transactions.current().isEmpty());
        Transaction t = Transactions.get();
        assertTrue(Transactions.isActive());
        assertSame(t, TransactionManager.threadLocal().get());
        assertSame(Transactions.manager(), t.manager());
        dm.put("x", 1);
        Transactions.commit();
        assertEquals(1, dm.committed("x"));
        assertFalse(Transactions.isActive());
        dm.put("x", 2);
        Transactions.abort();
        assertEquals(1, dm.get("x"));
    }

    @Test
    void explicitModeOnTheThreadsManagerNeedsBeginAndRefusesNesting() {
        Transactions.manager().setExplicit(true);
        assertThrows(NoTransactionException.class, Transactions::commit);
        assertThrows(NoTransactionException.class, Transactions::get);
        Transaction t = Transactions.begin();
        assertTrue(Transactions.isActive());
        assertThrows(AlreadyInTransactionException.class, Transactions::begin);
        Transactions.commit();
        assertEquals(TransactionStatus.COMMITTED, t.status());
        assertFalse(Transactions.isActive());
    }

    @Test
    void facadeRunRetries() {
        SampleDataManager dm = new SampleDataManager("a", TransactionManager.threadLocal());
        AtomicInteger attempts = new AtomicInteger();
        Integer result = Transactions.run(2, () -> {
            dm.put("x", attempts.incrementAndGet());
            if (attempts.get() == 1) {
                throw new TransientException("conflict");
            }
            return attempts.get();
        });
        assertEquals(2, result);
        assertEquals(2, dm.committed("x"));
        Transactions.run(1, () -> dm.put("y", 3));
        assertEquals(3, dm.committed("y"));
        assertNull(dm.committed("z"));
    }
}

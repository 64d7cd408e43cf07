package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/**
 * With an explicit-mode manager and no transaction begun, a change is dropped (with a warning) at the next
 * boundary; to tell, the connection writes the object's state and compares it with the saved one. When that
 * write failed (a value jodb cannot store), begin() threw, the object was left marked touched but queued
 * nowhere, and every later change to it was silently lost at commit. Now a state that cannot be written
 * counts as changed: it is dropped like any other change made outside a transaction. Likewise, closing a
 * connection whose transaction holds such a change is refused with the usual "commit or abort" message
 * rather than the serialization failure.
 */
class UnwritableOutsideChangeTest {

    @Test
    void anUnwritableChangeOutsideATransactionIsDroppedAndLaterChangesCommit() {
        try (Database db = Database.inMemory()) {
            TransactionManager tm = new TransactionManager(true);
            Connection c = db.open(tm);
            tm.begin();
            DeepValueTest.Holder h = c.create(DeepValueTest.Holder.class);
            h.set("committed");
            c.root().put("h", h);
            tm.commit();

            h.set(new Thread()); // no transaction: belongs to none
            tm.begin(); // used to throw the serialization failure
            assertEquals("committed", h.get(), "the change made outside a transaction was dropped");
            h.set("later");
            tm.commit();

            TransactionManager reader = new TransactionManager(true);
            Connection r = db.open(reader);
            reader.begin();
            assertEquals("later", ((DeepValueTest.Holder) r.root().get("h")).get());
            reader.abort();
        }
    }

    @Test
    void closingAConnectionWhoseTransactionHoldsAnUnwritableChangeSaysToCommitOrAbort() {
        try (Database db = Database.inMemory()) {
            TransactionManager tm = new TransactionManager(true);
            Connection c = db.open(tm);
            tm.begin();
            DeepValueTest.Holder h = c.create(DeepValueTest.Holder.class);
            c.root().put("h", h);
            tm.commit();

            tm.begin();
            h.set(new Thread());
            IllegalStateException e = assertThrows(IllegalStateException.class, c::close);
            assertTrue(e.getMessage().contains("commit or abort"), e.getMessage());
            tm.abort();
            c.close();
            assertTrue(c.isClosed());
        }
    }
}

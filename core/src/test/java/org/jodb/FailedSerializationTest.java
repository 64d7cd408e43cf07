package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An object whose state failed to serialize at commit must be restored by the abort that follows, and a
 * later change to it must be committed, not dropped.
 */
class FailedSerializationTest {
    private final Database db = Database.inMemory();

    /** Holds whatever it is given: a Thread cannot be stored, a String can. */
    public static class Job {
        private Object attachment;

        public Job() {
        }

        public void attach(Object value) {
            attachment = value;
        }

        public Object attachment() {
            return attachment;
        }
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void abortAfterAFailedSerializationRestoresTheObjectAndLaterChangesCommit() {
        TransactionManager tm = new TransactionManager(false);
        Connection conn = db.open(tm);
        Job job = conn.create(Job.class);
        conn.root().put("job", job);
        tm.commit();

        job.attach(new Thread());
        assertThrows(UnsupportedClassException.class, tm::commit);
        tm.abort();
        assertNull(job.attachment(), "abort restores the committed state");

        job.attach("summary.pdf");
        tm.commit();
        TransactionManager other = new TransactionManager(false);
        assertEquals("summary.pdf", ((Job) db.open(other).root().get("job")).attachment());
        other.abort();
    }
}

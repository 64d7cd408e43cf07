package org.jodb.internal.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.Persistence;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/**
 * The clone of a persistent object is a new object without an oid (as a ZODB copy has no {@code _p_oid}),
 * stored with its own changes when it is reachable at commit. A plain {@code Object.clone} would copy the
 * proxy's state, oid included, and the copy would be written as a reference to the original, its changes
 * lost.
 */
class CloneAdviceTest {

    /** Overrides clone, as Cloneable classes usually do. */
    public static class Sheep implements Cloneable {
        private String name;
        private List<String> tags = new ArrayList<>();

        public Sheep() {
        }

        public Sheep(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        public void rename(String newName) {
            name = newName;
        }

        @Override
        public Sheep clone() {
            try {
                Sheep copy = (Sheep) super.clone();
                copy.tags = new ArrayList<>(tags);
                return copy;
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** Declares no clone(): a method of its own calls Object.clone. */
    public static class Goat implements Cloneable {
        private String name;

        public Goat() {
        }

        public Goat(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        public void rename(String newName) {
            name = newName;
        }

        public Goat copy() throws CloneNotSupportedException {
            return (Goat) clone();
        }
    }

    @Test
    void aCloneIsANewObjectStoredWithItsOwnChanges() throws Exception {
        try (Database db = Database.inMemory()) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            c.root().put("dolly", c.create(Sheep.class, "dolly"));
            c.root().put("billy", c.create(Goat.class, "billy"));
            tm.commit();
            c.cacheMinimize(); // the originals are ghosts: the copies must get their loaded fields

            Sheep dolly = (Sheep) c.root().get("dolly");
            Sheep molly = dolly.clone();
            Goat billy = (Goat) c.root().get("billy");
            Goat bob = billy.copy();
            assertTrue(Persistence.isPersistent(molly) && Persistence.isPersistent(bob));
            assertTrue(Persistence.oid(molly).isEmpty() && Persistence.oid(bob).isEmpty(), "new, not stored yet");
            assertEquals("dolly", molly.name());
            assertEquals("billy", bob.name());
            molly.rename("molly");
            bob.rename("bob");
            c.root().put("molly", molly);
            c.root().put("bob", bob);
            tm.commit();
            assertNotEquals(Persistence.oid(dolly), Persistence.oid(molly));
            assertEquals("dolly", dolly.name());

            TransactionManager reader = new TransactionManager(false);
            Connection r = db.open(reader);
            assertNotSame(r.root().get("dolly"), r.root().get("molly"));
            assertEquals("dolly", ((Sheep) r.root().get("dolly")).name());
            assertEquals("molly", ((Sheep) r.root().get("molly")).name());
            assertEquals("billy", ((Goat) r.root().get("billy")).name());
            assertEquals("bob", ((Goat) r.root().get("bob")).name());
            reader.abort();
        }
    }
}

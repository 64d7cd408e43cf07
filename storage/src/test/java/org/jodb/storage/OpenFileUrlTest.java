package org.jodb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Database#open(String)} with a {@code file:} URL, found through the file store's provider. */
class OpenFileUrlTest {

    @TempDir
    Path dir;

    @Test
    void aFileUrlOpensTheStoreThatOpenPathOpens() {
        Path store = dir.resolve("by-url");
        try (Database db = Database.open(store.toUri().toString())) {
            TransactionManager tm = new TransactionManager(false);
            Connection conn = db.open(tm);
            conn.root().put("greeting", "hello");
            tm.commit();
        }
        try (Database db = Database.open(store)) {
            TransactionManager tm = new TransactionManager(false);
            assertEquals("hello", db.open(tm).root().get("greeting"));
            tm.abort();
        }
    }

    @Test
    void aFileUrlWithAHostOrQueryIsRefusedWithItsForm() {
        for (String url : new String[] {"file://server/share/db", "file:/tmp/db?mode=ro"}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Database.open(url));
            assertTrue(refused.getMessage().contains("file:/var/lib/app/db"), refused.getMessage());
        }
    }

    @Test
    void anUnknownSchemeListsTheFileStoreAmongTheProviders() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Database.open("jdbc:h2:mem:app"));
        assertTrue(refused.getMessage().contains("the providers on the class path open: the file store (jodb-storage)"),
                refused.getMessage());
    }
}

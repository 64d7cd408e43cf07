package org.jodb.storage.mvcc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.jodb.Account;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.mvcc.MvccContractTest;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageException;
import org.jodb.storage.MappedFileStorage;
import org.jodb.storage.StorageOptions;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link MvccContractTest} on the file storage, with small segments so that packs move data around. */
class MappedFileMvccTest extends MvccContractTest {
    private static final StorageOptions OPTIONS =
            StorageOptions.builder().segmentSize(1 << 16).indexCapacity(10_000).build();

    @TempDir
    Path tmp;

    @Override
    protected Storage newStorage() {
        return MappedFileStorage.open(tmp.resolve("mvcc"), OPTIONS);
    }

    /**
     * The files do not record packs, so after a reopen a historical connection at a tid packed before
     * opens; its first read of a revision pack removed fails naming its snapshot (not advising a new
     * transaction), and from then on the storage knows that snapshot is gone and openAt refuses it.
     */
    @Test
    void aHistoricalConnectionAtATidPackedBeforeAReopenSaysSo() {
        TransactionManager w = new TransactionManager();
        Connection writer = db.open(w);
        long before = db.storage().lastTid();
        ((Account) writer.root().get("acct1")).deposit(9);
        w.commit();
        writer.close();
        db.pack();
        db.close();
        db = Database.open(newStorage());
        assertEquals(Storage.NO_TID, db.storage().oldestSnapshot(), "a reopened store knows of no pack yet");

        TransactionManager h = new TransactionManager();
        Connection past = db.openAt(h, before);
        StorageException e = assertThrows(StorageException.class,
                () -> ((Account) past.root().get("acct1")).balance());
        long oldest = db.storage().oldestSnapshot();
        assertTrue(oldest > before, "learned from the read: " + oldest);
        assertTrue(e.getMessage().startsWith("this historical connection reads as of tid " + before + ", which a"
                + " pack has since passed: the oldest snapshot storage " + db.storage().name() + " keeps is tid "
                + oldest), e.getMessage());
        h.abort();
        past.close();
        assertThrows(IllegalArgumentException.class, () -> db.openAt(new TransactionManager(), before));
    }
}

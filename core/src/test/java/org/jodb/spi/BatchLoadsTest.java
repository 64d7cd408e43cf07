package org.jodb.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The batch loads a storage or view gets without writing its own: one load per oid, in the order asked, and
 * a failure of one oid that fails the batch, names that oid and keeps its kind.
 */
class BatchLoadsTest {

    @Test
    void loadsEachOidInTheOrderAsked() {
        List<Long> loaded = new ArrayList<>();
        Revision[] found = BatchLoads.oneByOne(new long[]{5, 3, 9}, oid -> {
            loaded.add(oid);
            return oid == 9 ? null : new Revision(oid, 1, new byte[]{(byte) oid});
        });
        assertEquals(List.of(5L, 3L, 9L), loaded);
        assertEquals(5, found[0].oid());
        assertEquals(3, found[1].oid());
        assertEquals(null, found[2]);
    }

    @Test
    void aFailingOidFailsTheBatchNamingItAndKeepingItsKind() {
        CorruptStorageException damage = new CorruptStorageException("CRC mismatch in log-00000001.seg; restore");
        StorageException e = assertThrows(StorageException.class, () -> BatchLoads.oneByOne(new long[]{4, 8, 15},
                oid -> {
                    if (oid == 8) {
                        throw damage;
                    }
                    return new Revision(oid, 1, new byte[0]);
                }));
        assertInstanceOf(CorruptStorageException.class, e, "damage stays damage");
        assertTrue(e.getMessage().contains("oid 8 (one of 3 in one batch)"), e.getMessage());
        assertTrue(e.getMessage().endsWith(damage.getMessage()), "the cause's remedy is kept: " + e.getMessage());
        assertFalse(e.getMessage().contains("oid 4"), e.getMessage());
        assertSame(damage, e.getCause());

        StorageException plain = assertThrows(StorageException.class, () -> BatchLoads.oneByOne(new long[]{4},
                oid -> {
                    throw new StorageException("the disk is gone");
                }));
        assertFalse(plain instanceof CorruptStorageException);
        assertEquals("cannot load oid 4: the disk is gone", plain.getMessage());
    }

    @Test
    void aClosedStorageIsNotWrapped() {
        IllegalStateException closed = new IllegalStateException("closed");
        assertSame(closed, assertThrows(IllegalStateException.class,
                () -> BatchLoads.oneByOne(new long[]{1}, oid -> {
                    throw closed;
                })));
    }
}

package org.jodb.storage.internal.index;

import java.nio.ByteOrder;
import java.nio.file.Path;

import net.openhft.chronicle.bytes.RandomDataOutput;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;

/**
 * The index's one writer giving Chronicle Map a page from the heap ({@link MemoryPages}), whole, under the page's
 * segment write lock, so that a reader, which copies pages out under the read lock, never sees half of a
 * write (FORMAT.md 3.7). Not thread-safe: one per index, used by its writer.
 */
final class PageWriter {

    private final ChronicleMap<Long, byte[]> map;
    private final Path file;

    PageWriter(ChronicleMap<Long, byte[]> map, Path file) {
        this.map = map;
        this.file = file;
    }

    /**
     * Writes a whole page back from the heap ({@link MemoryPages}), under the page's segment write lock: inserted
     * when the map lacks it, else written over in place.
     *
     * @throws IndexDamagedException when Chronicle Map fails on the file or the value is not a page
     */
    void writeBack(long page, byte[] bytes) {
        try (ExternalMapQueryContext<Long, byte[], ?> c = map.queryContext(page)) {
            c.writeLock().lock();
            MapEntry<Long, byte[]> entry = c.entry();
            if (entry == null) {
                c.insert(c.absentEntry(), c.wrapValueAsData(bytes));
                return;
            }
            Data<byte[]> value = entry.value();
            if (value.size() != OidPage.BYTES) {
                throw new IndexDamagedException("the oid index " + file + " holds " + value.size()
                        + " bytes for page " + page + " instead of " + OidPage.BYTES, null);
            }
            if (value.bytes() instanceof RandomDataOutput<?> inPlace) {
                for (int slot = 0; slot < OidPage.BYTES; slot += 8) {
                    inPlace.writeLong(value.offset() + slot, bigEndian(OidPage.longAt(bytes, slot)));
                }
            } else {
                c.replaceValue(entry, c.wrapValueAsData(bytes));
            }
        } catch (IndexDamagedException e) {
            throw e;
        } catch (RuntimeException | AssertionError | InternalError e) {
            throw new IndexDamagedException("Chronicle Map failed to write page " + page + " into the oid index "
                    + file + ": " + e, e);
        }
    }

    /** Chronicle Map reads and writes longs in the machine's byte order; pages are big-endian (FORMAT.md 2). */
    private static long bigEndian(long nativeOrder) {
        return ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? nativeOrder : Long.reverseBytes(nativeOrder);
    }
}

package org.jodb.storage.internal.index;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

import net.openhft.chronicle.bytes.RandomDataOutput;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;

/**
 * The writes of the index's one writer: the slots of one page ({@link OidPage}) at a time, under the page's
 * segment write lock, so that a reader, which copies pages out under the read lock, never sees half of a
 * write (FORMAT.md 3.7). Not thread-safe: one per index, used by its writer.
 */
final class PageWriter {

    private final ChronicleMap<Long, byte[]> map;
    private final Path file;
    /** The buffer for a page being made. */
    private final byte[] writing = new byte[OidPage.BYTES];

    PageWriter(ChronicleMap<Long, byte[]> map, Path file) {
        this.map = map;
        this.file = file;
    }

    /**
     * Writes oids {@code from} to {@code to} of one page, holding the page's segment write lock throughout, so
     * that no reader copies the page meanwhile: a page that exists gets their slots written in place (16 bytes
     * each, where a copy of the page out and back costs several times a put of one oid), a new one is
     * inserted whole.
     *
     * @return how many of the oids the page did not hold before
     * @throws IndexDamagedException when Chronicle Map fails on the file or the value is not a page
     */
    long write(long page, long[] oids, long[] positions, int from, int to, long tid) {
        long added = 0;
        try (ExternalMapQueryContext<Long, byte[], ?> c = map.queryContext(page)) {
            c.writeLock().lock();
            MapEntry<Long, byte[]> entry = c.entry();
            if (entry == null) {
                byte[] value = writing;
                Arrays.fill(value, (byte) 0);
                for (int i = from; i < to; i++) {
                    int slot = OidPage.slot(oids[i]);
                    added += OidPage.present(value, slot) ? 0 : 1;
                    OidPage.set(value, slot, positions[i], tid);
                }
                c.insert(c.absentEntry(), c.wrapValueAsData(value));
            } else {
                Data<byte[]> value = entry.value();
                if (value.size() != OidPage.BYTES) {
                    throw new IndexDamagedException("the oid index " + file + " holds " + value.size()
                            + " bytes for page " + page + " instead of " + OidPage.BYTES, null);
                }
                // The value's bytes are the map's own memory (a BytesStore, writable); were they ever not,
                // the page is copied out, changed and replaced instead.
                if (value.bytes() instanceof RandomDataOutput<?> inPlace) {
                    for (int i = from; i < to; i++) {
                        long at = value.offset() + OidPage.slot(oids[i]);
                        added += value.bytes().readLong(at) == 0 && value.bytes().readLong(at + 8) == 0 ? 1 : 0;
                        inPlace.writeLong(at, bigEndian(positions[i]));
                        inPlace.writeLong(at + 8, bigEndian(tid));
                    }
                } else {
                    byte[] copy = value.getUsing(writing);
                    for (int i = from; i < to; i++) {
                        int slot = OidPage.slot(oids[i]);
                        added += OidPage.present(copy, slot) ? 0 : 1;
                        OidPage.set(copy, slot, positions[i], tid);
                    }
                    c.replaceValue(entry, c.wrapValueAsData(copy));
                }
            }
        } catch (IndexDamagedException e) {
            throw e;
        } catch (RuntimeException | AssertionError | InternalError e) {
            throw new IndexDamagedException("Chronicle Map failed to put oid " + oids[from] + " into the oid index "
                    + file + ": " + e, e);
        }
        return added;
    }

    /** Chronicle Map reads and writes longs in the machine's byte order; pages are big-endian (FORMAT.md 2). */
    private static long bigEndian(long nativeOrder) {
        return ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? nativeOrder : Long.reverseBytes(nativeOrder);
    }
}

package org.jodb.storage.internal.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32C;

import net.openhft.chronicle.hash.impl.VanillaChronicleHash;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;

/**
 * Test support: writes a closed store's index the way jodb wrote it before the index held pages of oids (index
 * format of {@code index.meta} version 2): a Chronicle Map from each oid to 16 bytes (position, tid), with the
 * seal ({@code Long.MIN_VALUE} → logEnd, lastTid), and a version-2 {@code index.meta} whose fingerprint matches
 * that file. A store with these files is what a store closed by that jodb looks like.
 */
public final class OneEntryPerOidIndex {

    private OneEntryPerOidIndex() {
    }

    /**
     * Replaces the index of the closed store in {@code dir} (its side file and its index file) with one of the
     * old layout holding {@code entries} (oid → {position, tid}), sealed at the log end and tid the current side
     * file records, in generation {@code generation}.
     */
    public static void write(Path dir, Map<Long, long[]> entries, int generation) throws IOException {
        IndexMeta now = IndexMeta.read(dir);
        Files.deleteIfExists(OidIndex.file(dir, now.generation()));
        Path file = OidIndex.file(dir, generation);
        long capacity = 1_000L + entries.size() * 2L;
        long headerSpan;
        try (ChronicleMap<Long, byte[]> map = ChronicleMapBuilder.of(Long.class, byte[].class)
                .name("jodb-oid-index").entries(capacity).constantValueSizeBySample(new byte[16])
                .putReturnsNull(true).createPersistedTo(file.toFile())) {
            entries.forEach((oid, value) -> map.put(oid, ByteBuffer.allocate(16).putLong(value[0])
                    .putLong(value[1]).array()));
            map.put(Long.MIN_VALUE, ByteBuffer.allocate(16).putLong(now.logEnd()).putLong(now.lastTid()).array());
            VanillaChronicleHash<?, ?, ?, ?> hash = (VanillaChronicleHash<?, ?, ?, ?>) map;
            headerSpan = hash.sizeInBytesWithoutTiers() - hash.actualSegments * hash.tierSize;
        }
        IndexFingerprint print = IndexFingerprint.of(file, headerSpan);
        ByteBuffer b = ByteBuffer.allocate(IndexMeta.SIZE);
        b.put(IndexMeta.MAGIC).putShort((short) 2).putShort((short) 1).putInt(0)
                .putLong(now.logEnd()).putLong(now.lastTxn()).putLong(now.lastTid()).putLong(now.nextOid())
                .putLong(capacity).putLong(entries.size()).putInt(generation).putInt(print.headerCrc())
                .putLong(print.length()).putLong(print.headerSpan());
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, IndexMeta.SIZE - 4);
        b.putInt(IndexMeta.SIZE - 4, (int) crc.getValue());
        Files.write(dir.resolve(IndexMeta.FILE_NAME), b.array());
    }
}

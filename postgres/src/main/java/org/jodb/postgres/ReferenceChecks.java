package org.jodb.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jodb.spi.ReferenceFinder;
import org.jodb.spi.StorageException;

/**
 * What one storage needs to refuse a commit that links an object a pack removed, whichever process packed
 * ({@code removed_objects}, SCHEMA.md): the finder of the references in a record, and whether any pack has
 * removed objects yet, in which case each vote names the oids its records refer to. Until then votes name
 * none, and pay nothing; the server tells a vote that named none when that changed ({@link
 * VoteFunction#REFERENCES_NEEDED}). Safe for many threads.
 */
final class ReferenceChecks {
    /** Staged records read back at a time to find their references. */
    private static final int FETCH = 1_000;

    private final PostgresStorage storage;
    /** Given by the database that uses the storage, or by the last pack; null while neither did. */
    private volatile ReferenceFinder finder;
    private volatile boolean needed;

    ReferenceChecks(PostgresStorage storage) {
        this.storage = storage;
    }

    /** At open: whether a pack removed objects before. */
    void readAtOpen(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(storage.sql.anyRemoved); ResultSet rs = s.executeQuery()) {
            rs.next();
            needed = rs.getBoolean(1);
        } catch (SQLException e) {
            if (!"42501".equals(e.getSQLState())) { // insufficient_privilege
                throw e;
            }
            throw new StorageException("storage " + storage.name() + " could not open: the role "
                    + c.getMetaData().getUserName() + " may not read " + storage.sql.schema + ".removed_objects"
                    + " (new in format 5, where packs keep the objects they removed). Have the schema's owner run"
                    + " GRANT SELECT, INSERT ON " + storage.sql.schema + ".removed_objects TO "
                    + c.getMetaData().getUserName() + " (INSERT only for a role that packs; postgres/README.md,"
                    + " \"Privileges\").", e);
        }
    }

    void use(ReferenceFinder references) {
        finder = references;
    }

    /** A pack of this storage that removed {@code removed} objects, with its finder. */
    void packed(ReferenceFinder references, int removed) {
        finder = references;
        if (removed > 0) {
            needed = true;
        }
    }

    /** Whether votes name their references (a pack removed objects, as far as this storage knows). */
    boolean needed() {
        return needed;
    }

    /** The server said a pack removed objects (a vote that named no references was refused). */
    void learnedNeeded() {
        needed = true;
    }

    /**
     * The references a vote names: null when it need not name any (no pack removed objects, as far as this
     * storage knows: the server says otherwise if one did); none for a storage without a finder (it checks
     * nothing). {@code held} are the records in memory; for a staged transaction, {@code stage} is its key, and
     * the newest staged record of each oid is read back from the server on {@code c} (in the vote's database
     * transaction, so a resolver's merges staged in it count): what is committed, exactly.
     */
    RecordReferences forVote(Connection c, Map<Long, byte[]> held, long stage) throws SQLException {
        ReferenceFinder references = finder;
        if (references == null) {
            return new RecordReferences();
        }
        if (!needed) {
            return null;
        }
        RecordReferences named = new RecordReferences();
        named.addAll(held, references);
        if (stage != 0) {
            addStaged(c, stage, references, named);
        }
        return named;
    }

    private void addStaged(Connection c, long stage, ReferenceFinder references, RecordReferences named)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(storage.sql.newestStaged)) {
            s.setFetchSize(FETCH); // a cursor: the vote's connection is in its database transaction
            s.setLong(1, stage);
            try (ResultSet rs = s.executeQuery()) {
                Map<Long, byte[]> batch = new LinkedHashMap<>();
                while (rs.next()) {
                    batch.put(rs.getLong(1), rs.getBytes(2));
                    if (batch.size() == FETCH) {
                        named.addAll(batch, references);
                        batch.clear();
                    }
                }
                named.addAll(batch, references);
            }
        }
    }
}

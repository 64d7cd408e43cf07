package org.jodb.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;

/**
 * A storage's new oids: reserved from the schema's sequence {@code PostgresOptions.oidBlock} at a time (one round
 * trip per block), so that oids are unique across processes. Safe for many threads.
 */
final class OidBlocks {
    private final PostgresStorage storage;
    private final ArrayDeque<Long> reserved = new ArrayDeque<>();

    OidBlocks(PostgresStorage storage) {
        this.storage = storage;
    }

    /** The next oid of this storage's block, reserving a new block when it is used up. */
    long next() {
        storage.checkOpen();
        synchronized (reserved) {
            if (reserved.isEmpty()) {
                storage.run("reserve oids", c -> {
                    try (PreparedStatement s = c.prepareStatement(storage.sql.nextOids)) {
                        s.setString(1, storage.sql.oidSequence);
                        s.setInt(2, storage.options.oidBlock());
                        try (ResultSet rs = s.executeQuery()) {
                            while (rs.next()) {
                                reserved.add(rs.getLong(1));
                            }
                        }
                    }
                    return null;
                });
            }
            return reserved.poll();
        }
    }

    /**
     * Raises the sequence to at least {@code maxOid} in {@code c}'s transaction (a copy wrote oids the sequence
     * did not hand out), and forgets the reserved oids at or below it.
     */
    void raise(Connection c, long maxOid) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(storage.sql.raiseOidSequence)) {
            s.setString(1, storage.sql.oidSequence);
            s.setLong(2, maxOid);
            s.setLong(3, maxOid);
            s.execute();
        }
        synchronized (reserved) {
            reserved.removeIf(oid -> oid <= maxOid);
        }
    }
}

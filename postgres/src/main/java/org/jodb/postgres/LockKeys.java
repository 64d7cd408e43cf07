package org.jodb.postgres;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The advisory lock keys of one schema. PostgreSQL's advisory locks are named by numbers, per database:
 * jodb derives them from the schema's name so that two jodb schemas in one database never share a lock.
 * The single-key ({@code bigint}) space holds the commit, pack and creation locks; the two-key space holds
 * one "owner" lock per open storage ({@link #ownerClass()}, a random owner number), which tells other
 * processes whether the storage that prepared a transaction is still alive. The two spaces do not overlap.
 */
final class LockKeys {
    private final long base;

    LockKeys(String schema) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("jodb schema " + schema).getBytes(StandardCharsets.UTF_8));
            long h = 0;
            for (int i = 0; i < 7; i++) {
                h = (h << 8) | (digest[i] & 0xff);
            }
            base = h << 4;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }

    /** Held from vote to the end of the commit (transaction-level): one committer at a time, across processes. */
    long commit() {
        return base | 1;
    }

    /** Held by a running pack (session-level): one pack at a time. */
    long pack() {
        return base | 2;
    }

    /** Held while the tables are created (transaction-level), so that two first opens do not race. */
    long create() {
        return base | 3;
    }

    /** The first key of an owner lock (the second is the owner's number). */
    int ownerClass() {
        return (int) (base >>> 32);
    }
}

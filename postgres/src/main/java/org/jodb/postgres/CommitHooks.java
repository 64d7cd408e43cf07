package org.jodb.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Points inside a commit where the fault tests stop a transaction to break its connection; each is given the
 * server process id of the committing connection. Does nothing unless a test installs one.
 */
interface CommitHooks {
    CommitHooks NONE = new CommitHooks() {
    };

    /**
     * In vote, before the round trip that takes the commit lock, writes the rows and (with PREPARE) prepares: a
     * connection lost there fails that round trip, the vote with it (that round trip is one message, so there
     * is no moment between the writes and PREPARE to stop at).
     */
    // A group commit (GroupVote) calls atVote before its message of vote calls, beforeCommit before its COMMIT
    // and afterCommit after it, each once for the whole group, on its leader's thread.
    default void atVote(int backendPid) {
    }

    /** In finish, before COMMIT PREPARED (or COMMIT) is sent. */
    default void beforeCommit(int backendPid) {
    }

    /** In finish, after the commit succeeded, before the notification is sent and finish returns. */
    default void afterCommit(int backendPid) {
    }

    /**
     * Calls {@link #atVote} with {@code c}'s server process id when a hook is installed, and returns that id
     * (the round trip that asked for it reached the server); 0 without a round trip when none is.
     */
    default int atVoteOn(Connection c) throws SQLException {
        if (!active()) {
            return 0;
        }
        int backendPid = backendPid(c);
        atVote(backendPid);
        return backendPid;
    }

    /** Whether any hook is installed (only then does a commit ask the server for its process id). */
    default boolean active() {
        return this != NONE;
    }

    /** The server process id of {@code c}'s backend, which the hooks are given (asked only when one is active). */
    static int backendPid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}

package org.jodb.postgres;

import java.util.Map;

import java.util.List;

/**
 * One transaction in a {@link CommitGroup}: what the group's leader needs to write it (its vote function call,
 * its commit id, the oids it writes), and the answer the leader gives it. The answer is set and read under the
 * group's monitor.
 */
final class GroupMember {
    /** How a member's part of a group commit ended. */
    enum Outcome {
        /** Committed as {@link Answer#tid}. */
        COMMITTED,
        /** Nothing written: the committed state differs from what it read ({@link Answer#conflicts}). */
        CONFLICTS,
        /** Nothing committed; {@link Answer#failure} says why and is what the member throws. */
        FAILED,
        /** Nothing committed: the group failed for a reason one of its members may have caused; commit alone. */
        ALONE
    }

    /** The leader's answer to one member. */
    record Answer(Outcome outcome, long tid, long previousTid, List<VoteCall.Conflict> conflicts,
                  RuntimeException failure) {
        static Answer committed(long tid, long previousTid) {
            return new Answer(Outcome.COMMITTED, tid, previousTid, List.of(), null);
        }

        static Answer conflicts(List<VoteCall.Conflict> conflicts) {
            return new Answer(Outcome.CONFLICTS, 0, 0, conflicts, null);
        }

        static Answer failed(RuntimeException failure) {
            return new Answer(Outcome.FAILED, 0, 0, List.of(), failure);
        }

        static Answer alone() {
            return new Answer(Outcome.ALONE, 0, 0, List.of(), null);
        }
    }

    final VoteCall call;
    final long commitId;
    /**
     * The records the member writes, by oid (the storage's own-commit log and record cache learn them when it
     * commits); null when they were staged on the server.
     */
    final Map<Long, byte[]> written;
    /** The bytes of its records, to bound a group's message. */
    final long bytes;
    /** Set when this member's thread is to lead the next group. */
    boolean lead;
    Answer answer;

    GroupMember(VoteCall call, long commitId, Map<Long, byte[]> written, long bytes) {
        this.call = call;
        this.commitId = commitId;
        this.written = written;
        this.bytes = bytes;
    }
}

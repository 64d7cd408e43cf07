package org.jodb.postgres;

/**
 * Every statement jodb sends, written once, with the schema's quoted name in place and {@code ?} for every
 * value. SCHEMA.md describes the tables; {@code SchemaDocTest} keeps the two in step.
 */
final class Sql {
    /** The layout these statements expect, in {@code storage_info.format_version}. */
    static final int FORMAT_VERSION = 5;
    /** The argument types of the vote function of formats 2 to 4 (format 5 added {@code p_refs}). */
    private static final String OLD_VOTE_ARGUMENTS = "bigint, text, bigint[], bigint[], bytea[], bigint, bigint,"
            + " bigint[], bigint[], bigint, bigint, bigint, text, text, bigint, text, boolean";

    final String schema;
    final String channel;

    final String maxTid;
    final String packedBefore;
    final String loadAt;
    final String loadAllAt;
    final String committedWith;
    /** The transactions after a tid that carry one of the commit ids given (a group commit's settlement). */
    final String committedAfter;
    /** The vote function and the statement that calls it. */
    final VoteFunction vote;
    final String stageRecords;
    final String dropStage;
    final String stagingOwners;
    final String dropOwnerStages;
    /** The oid sequence's name, passed as a bind parameter to nextval and setval. */
    final String oidSequence;
    final String nextOids;
    final String raiseOidSequence;
    final String history;
    final String transactionsAfter;
    final String transactionPage;
    final String transactionRecords;
    final String transactionLog;
    final String raisePackedBefore;
    /** Whether a pack ever removed an object (votes must then name the oids their records refer to). */
    final String anyRemoved;
    final String recordRemoved;
    /** The newest staged record of each oid of a stage (what its vote commits), for their references. */
    final String newestStaged;

    Sql(String schemaName) {
        schema = SchemaName.quoted(schemaName);
        channel = "jodb_" + schemaName;
        String objects = schema + ".object_state";
        String transactions = schema + ".transactions";
        String info = schema + ".storage_info";
        maxTid = "SELECT coalesce(max(tid), 0) FROM " + transactions;
        packedBefore = "SELECT packed_before FROM " + info;
        // Each read is planned as index probes (kept cheap, so that no plan is costly enough for the server to
        // compile it): packed_before as a scalar subquery, the revision as one probe of the primary key.
        String packed = "(SELECT packed_before FROM " + info + ")";
        loadAt = "SELECT " + packed + ", s.tid, s.data FROM (VALUES (1)) AS one(x) LEFT JOIN LATERAL"
                + " (SELECT tid, data FROM " + objects + " WHERE oid = ? AND tid <= ? ORDER BY tid DESC LIMIT 1) s"
                + " ON true";
        loadAllAt = "SELECT " + packed + ", q.oid, s.tid, s.data FROM unnest(?::bigint[]) AS q(oid) LEFT JOIN LATERAL"
                + " (SELECT tid, data FROM " + objects + " WHERE oid = q.oid AND tid <= ? ORDER BY tid DESC LIMIT 1) s"
                + " ON true";
        committedWith = "SELECT count(*) FROM " + transactions + " WHERE tid = ? AND commit_id = ?";
        committedAfter = "SELECT commit_id, tid FROM " + transactions + " WHERE tid > ? AND commit_id = ANY (?)";
        vote = new VoteFunction(schema);
        String staging = schema + ".object_staging";
        stageRecords = "INSERT INTO " + staging + " (stage, seq, owner, oid, serial, data) SELECT ?, ? + u.n, ?,"
                + " u.oid, u.serial, u.data FROM unnest(?::bigint[], ?::bigint[], ?::bytea[]) WITH ORDINALITY"
                + " AS u(oid, serial, data, n)";
        dropStage = "DELETE FROM " + staging + " WHERE stage = ?";
        stagingOwners = "SELECT DISTINCT owner FROM " + staging;
        dropOwnerStages = "DELETE FROM " + staging + " WHERE owner = ?";
        oidSequence = schema + ".oid_sequence";
        nextOids = "SELECT nextval(?::regclass) FROM generate_series(1, ?)";
        raiseOidSequence = "SELECT setval(?::regclass, ?) FROM " + oidSequence + " WHERE last_value < ?";
        history = "SELECT s.tid, t.time_millis, t.username, t.note, octet_length(s.data) FROM " + objects + " s"
                + " LEFT JOIN " + transactions + " t ON t.tid = s.tid WHERE s.oid = ? ORDER BY s.tid DESC LIMIT ?";
        // No row when nothing committed after the tid: packed_before then cannot be above it (pack never
        // passes the last tid), so it is not needed. Once the driver has prepared the statement on the server, the
        // server may plan it without the parameters' values (a generic plan), guessing that "tid > ?" matches a
        // third of the table: it then read every transaction, or joined every revision in the table, tens of
        // milliseconds per poll and growing with the history. So the range is closed (the second bound is
        // Long.MAX_VALUE: a closed range is guessed to match few rows, and the transactions are read by their
        // index), and the oids come as one array per transaction from a correlated subquery, which the server
        // cannot turn into a join: an index probe per transaction.
        transactionsAfter = "SELECT " + packed + ", t.tid, ARRAY(SELECT s.oid FROM " + objects
                + " s WHERE s.tid = t.tid ORDER BY s.oid) FROM " + transactions + " t WHERE t.tid > ? AND t.tid <= ?"
                + " ORDER BY t.tid";
        transactionPage = "SELECT t.tid, t.time_millis, t.username, t.note FROM " + transactions + " t"
                + " WHERE t.tid > ? ORDER BY t.tid LIMIT ?";
        transactionRecords = "SELECT oid, data FROM " + objects + " WHERE tid = ? ORDER BY oid";
        transactionLog = "SELECT t.tid, t.time_millis, t.username, t.note,"
                + " ARRAY(SELECT s.oid FROM " + objects + " s WHERE s.tid = t.tid ORDER BY s.oid)"
                + " FROM " + transactions + " t WHERE t.tid < ? ORDER BY t.tid DESC LIMIT ?";
        raisePackedBefore = "UPDATE " + info + " SET packed_before = greatest(packed_before, ?)";
        anyRemoved = "SELECT EXISTS (SELECT 1 FROM " + schema + ".removed_objects)";
        newestStaged = "SELECT DISTINCT ON (s.oid) s.oid, s.data FROM " + schema + ".object_staging s"
                + " WHERE s.stage = ? ORDER BY s.oid, s.seq DESC";
        recordRemoved = "INSERT INTO " + schema + ".removed_objects (oid, pack_tid) SELECT u.oid, ? FROM"
                + " unnest(?::bigint[]) AS u(oid) ON CONFLICT (oid) DO NOTHING";
    }

    /** The statements that create the schema's tables, in order (SCHEMA.md explains each). */
    String[] createSchema() {
        return new String[] {
            "CREATE SCHEMA IF NOT EXISTS " + schema,
            "CREATE TABLE " + schema + ".storage_info (one_row boolean PRIMARY KEY DEFAULT true CHECK (one_row),"
                    + " format_version integer NOT NULL, packed_before bigint NOT NULL DEFAULT 0)",
            "CREATE TABLE " + schema + ".transactions (tid bigint PRIMARY KEY, time_millis bigint NOT NULL,"
                    + " username text NOT NULL, note text NOT NULL, commit_id bigint NOT NULL)",
            "CREATE TABLE " + schema + ".object_state (oid bigint NOT NULL, tid bigint NOT NULL,"
                    + " data bytea NOT NULL, PRIMARY KEY (oid, tid))",
            "CREATE INDEX object_state_by_tid ON " + schema + ".object_state (tid, oid)",
            "CREATE SEQUENCE " + schema + ".oid_sequence MINVALUE 1 START 1",
            createStaging(),
            createRemoved(),
            vote.create(),
            "INSERT INTO " + schema + ".storage_info (format_version) VALUES (" + FORMAT_VERSION + ")",
        };
    }

    /**
     * The statements that bring tables of format 1 (which committed without the vote function) to this
     * format: the staging table, the table of removed objects and the function; nothing else changed.
     */
    String[] upgradeFromFormat1() {
        return new String[] {
            createStaging(),
            createRemoved(),
            vote.create(),
            "UPDATE " + schema + ".storage_info SET format_version = " + FORMAT_VERSION,
        };
    }

    /**
     * The statements that bring tables of format 2, 3 or 4 to this format: the table of removed objects (new in
     * format 5), and the vote function replaced. Format 2's notification named the tid alone (now it also names
     * the previous tid and the oids written), format 3's carried no records (now a small commit's does) and let
     * the server plan its conflict query afresh at every call (now it keeps one plan), and format 4's took no
     * references to check against the removed objects (its signature lacked {@code p_refs}, so it is dropped,
     * not replaced in place); nothing else changed.
     */
    String[] upgradeVoteFunction() {
        return new String[] {
            createRemoved(),
            // the roles that read objects may read what packs removed, and those that pack (delete) may add to it
            "DO $grants$ DECLARE r record; BEGIN FOR r IN SELECT a.grantee, a.privilege_type FROM pg_class c,"
                    + " aclexplode(c.relacl) a WHERE c.oid = '" + schema + ".object_state'::regclass AND"
                    + " a.privilege_type IN ('SELECT', 'DELETE') AND a.grantee <> c.relowner LOOP"
                    + " EXECUTE format('GRANT %s ON " + schema + ".removed_objects TO %s', CASE r.privilege_type"
                    + " WHEN 'SELECT' THEN 'SELECT' ELSE 'INSERT' END, CASE WHEN r.grantee = 0 THEN 'PUBLIC'"
                    + " ELSE quote_ident(pg_get_userbyid(r.grantee)) END); END LOOP; END $grants$",
            // the old function's EXECUTE grants (a REVOKE from PUBLIC included) pass to the new one
            "CREATE TEMP TABLE jodb_vote_acl ON COMMIT DROP AS SELECT p.proacl AS acl FROM pg_proc p WHERE p.oid ="
                    + " to_regprocedure('" + schema + ".vote(" + OLD_VOTE_ARGUMENTS + ")')",
            "DROP FUNCTION IF EXISTS " + schema + ".vote(" + OLD_VOTE_ARGUMENTS + ")",
            vote.create(),
            "DO $acl$ DECLARE v_acl aclitem[]; r record; BEGIN SELECT acl INTO v_acl FROM jodb_vote_acl;"
                    + " IF v_acl IS NULL THEN RETURN; END IF;"
                    + " EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', to_regprocedure('" + schema
                    + ".vote(" + VoteFunction.ARGUMENTS + ")'));"
                    + " FOR r IN SELECT a.grantee FROM aclexplode(v_acl) a WHERE a.privilege_type = 'EXECUTE' LOOP"
                    + " EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %s', to_regprocedure('" + schema + ".vote("
                    + VoteFunction.ARGUMENTS + ")'), CASE WHEN r.grantee = 0 THEN 'PUBLIC'"
                    + " ELSE quote_ident(pg_get_userbyid(r.grantee)) END); END LOOP; END $acl$",
            "UPDATE " + schema + ".storage_info SET format_version = " + FORMAT_VERSION,
        };
    }

    /** Only added to (SCHEMA.md, "removed_objects"); created by the upgrades too, hence IF NOT EXISTS. */
    private String createRemoved() {
        return "CREATE TABLE IF NOT EXISTS " + schema + ".removed_objects (oid bigint PRIMARY KEY,"
                + " pack_tid bigint NOT NULL)";
    }

    /**
     * Unlogged: staged records are written once to the WAL (when vote moves them into object_state), not twice.
     * A server crash empties the table; a vote counts its staged records and refuses to commit a part of them.
     */
    private String createStaging() {
        return "CREATE UNLOGGED TABLE " + schema + ".object_staging (stage bigint NOT NULL, seq bigint NOT NULL,"
                + " owner integer NOT NULL, oid bigint NOT NULL, serial bigint NOT NULL, data bytea NOT NULL,"
                + " PRIMARY KEY (stage, oid, seq))";
    }
}
